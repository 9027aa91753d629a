"""Charts drawn on the server as HTML and CSS: horizontal bars and a tile map of provinces.

No chart script runs on the phone: a page with a chart is as light as one without, works
without JavaScript, and every number is printed as text next to its bar or in the table
under the map, so screen readers and copy-paste get the figures too
(docs/decisions/0006-server-rendered-charts.md).
"""

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import yaml
from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

register = template.Library()

TILE_MAP_FILE = Path(__file__).resolve().parents[2] / "geo" / "data" / "tile_map.yaml"
# A sequential, colour-blind-safe scale (light = low, dark = high); text colour per class.
SCALE = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#c44000", "#7f2704")  # ink 4.5:1 or more
TEXT_ON = ("#212529", "#212529", "#212529", "#ffffff", "#ffffff")
NO_DATA = "#e9ecef"


@cache
def tile_positions() -> dict[str, tuple[int, int]]:
    """Province code → (row, column) on the tile grid."""
    raw = yaml.safe_load(TILE_MAP_FILE.read_text(encoding="utf-8"))
    return {str(code): (int(rc[0]), int(rc[1])) for code, rc in raw.items()}


def class_breaks(values: Iterable[float], classes: int = len(SCALE)) -> list[float]:
    """Equal-interval upper bounds of each colour class over the values present."""
    present = [v for v in values if v is not None]
    if not present:
        return []
    low, high = min(present), max(present)
    if high == low:
        return [high] * classes
    step = (high - low) / classes
    return [low + step * (i + 1) for i in range(classes)]


def colour_class(value: float | None, breaks: list[float]) -> int | None:
    if value is None or not breaks:
        return None
    if breaks[0] == breaks[-1]:  # one value only (e.g. one province has data): mid-scale
        return len(breaks) // 2
    for i, upper in enumerate(breaks):
        if value <= upper + 1e-12:
            return i
    return len(breaks) - 1


def _legend(breaks: list[float], fmt: str) -> list[dict[str, str]]:
    """One entry per colour class; one entry only when every value is the same (five
    classes "≤ 4.1%" would say nothing)."""
    if not breaks:
        return []
    if breaks[0] == breaks[-1]:
        return [{"fill": SCALE[colour_class(breaks[0], breaks)], "label": _format(breaks[0], fmt)}]
    return [
        {"fill": SCALE[i], "label": f"≤ {_format(upper, fmt)}"} for i, upper in enumerate(breaks)
    ]


def _format(value: float | None, fmt: str) -> str:
    if value is None:
        return "–"
    if fmt == "percent":
        return f"{value * 100:.1f}%"
    if fmt == "int":
        return f"{int(value):,}"
    return f"{value:.3f}"


@register.inclusion_tag("charts/tile_map.html")
def tile_map(
    values: Mapping[str, float | None],
    names: Mapping[str, str],
    *,
    url_name: str = "",
    url_args: Iterable = (),
    fmt: str = "percent",
    caption: str = "",
):
    """A tile map of the 77 provinces coloured by ``values`` (code → number or None).

    ``url_name`` is reversed with ``url_args`` and the province code to make each tile a
    drill-down link."""
    positions = tile_positions()
    breaks = class_breaks(values.get(code) for code in positions)
    tiles = []
    for code, (row, col) in sorted(positions.items(), key=lambda item: item[1]):
        value = values.get(code)
        cls = colour_class(value, breaks)
        url = ""
        if url_name:
            try:
                url = reverse(url_name, args=[*url_args, code])
            except NoReverseMatch:
                url = ""
        tiles.append(
            {
                "code": code,
                "name": names.get(code, code),
                "row": row + 1,
                "col": col + 1,
                "value": value,
                "label": _format(value, fmt),
                "fill": NO_DATA if cls is None else SCALE[cls],
                "ink": "#495057" if cls is None else TEXT_ON[cls],
                "url": url,
            }
        )
    legend = _legend(breaks, fmt)
    if any(t["value"] is None for t in tiles):
        legend.append({"fill": NO_DATA, "label": _("no data")})
    return {
        "tiles": tiles,
        "legend": legend,
        "caption": caption,
        "rows": max(r for r, _ in positions.values()) + 1,
        "cols": max(c for _, c in positions.values()) + 1,
        "table": sorted(tiles, key=lambda t: (t["value"] is None, -(t["value"] or 0))),
    }


@register.inclusion_tag("charts/bars.html")
def bar_chart(rows: Iterable[Mapping], *, fmt: str = "percent", caption: str = ""):
    """Horizontal bars. Each row: ``label``, ``value`` (number or None), optional ``url``
    and ``note``. Bars are scaled to the largest value."""
    rows = list(rows)
    top = max((r["value"] for r in rows if r.get("value") is not None), default=0) or 1
    bars = [
        {
            **r,
            "width": 0 if r.get("value") is None else max(0.0, r["value"] / top * 100),
            "text": _format(r.get("value"), fmt),
        }
        for r in rows
    ]
    return {"bars": bars, "caption": caption}
