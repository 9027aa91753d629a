"""The server-rendered charts: the tile map covers every province once, and colours follow
the values."""

import pytest
from django.template import Context, Template

from onehome.geo.models import Province
from onehome.web.templatetags.charts import class_breaks, colour_class, tile_positions


@pytest.mark.django_db
def test_tile_map_places_every_province_once():
    positions = tile_positions()
    assert set(positions) == set(Province.objects.values_list("code", flat=True))
    assert len(set(positions.values())) == len(positions) == 77


def test_colour_classes_follow_values():
    breaks = class_breaks([0.0, 0.1, 0.5, None])
    assert colour_class(0.0, breaks) == 0
    assert colour_class(0.5, breaks) == len(breaks) - 1
    assert colour_class(None, breaks) is None
    assert class_breaks([None]) == []
    # A single value (one province with data) is drawn mid-scale, not as "lowest".
    assert colour_class(0.2, class_breaks([0.2, None])) == 2


def test_tile_map_prints_values_as_text():
    html = Template("{% load charts %}{% tile_map values names caption='x' %}").render(
        Context({"values": {"57": 0.25, "10": 0.05}, "names": {"57": "เชียงราย"}})
    )
    assert "เชียงราย: 25.0%" in html
    assert html.count('class="tile"') == 77
    assert "href" not in html  # no url_name: tiles are not links
    # Provinces without a value are drawn, in the no-data colour, and say so.
    assert "#e9ecef" in html
    assert html.count("≤") == 5  # two values: five colour classes in the legend


def test_one_value_has_one_legend_entry_and_no_data_has_its_own():
    html = Template("{% load charts %}{% tile_map values names %}").render(
        Context({"values": {"57": 0.041}, "names": {}})
    )
    legend = html[html.index("tile-legend") : html.index("</div>", html.index("tile-legend"))]
    assert "≤" not in legend and legend.count("4.1%") == 1
    assert "#e9ecef" in legend  # the grey of provinces without data is explained


def test_bar_chart_scales_to_the_largest_value():
    html = Template("{% load charts %}{% bar_chart rows fmt='int' %}").render(
        Context({"rows": [{"label": "a", "value": 10}, {"label": "b", "value": 5}]})
    )
    assert "width: 100.0%" in html and "width: 50.0%" in html
    assert ">10<" in html
