"""The area picker of the filters that take an area of any level (the person search, the
year-over-year comparison): provinces, districts and sub-districts found by Thai or
English name with their parents and code, the user's own area first; a typed exact name
(no JavaScript) resolves to its code; the pages show the picker, not a code box."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from onehome.access.models import Role, ScopeLevel
from onehome.conftest import WIANG
from onehome.core.pickers import AreaPicker
from onehome.geo.models import District, Province, Subdistrict
from onehome.geo.picking import area_for_code, area_label, areas_named, pick_areas
from onehome.registry.forms import SearchForm
from onehome.targeting.pages.forms import CompareForm

pytestmark = pytest.mark.django_db

URL = "/geo/pick/"


@pytest.fixture
def cr_client(client, make_user):
    """A worker of Mueang Chiang Rai district, reading English or Thai."""
    client.force_login(make_user(Role.SOCIAL_WORKER, level=ScopeLevel.DISTRICT, code="5701"))
    return client


def values(response) -> list[str]:
    return re.findall(r'data-value="(\d+)"', response.content.decode())


def test_thai_names_find_a_province_a_district_and_a_sub_district(cr_client):
    province = cr_client.get(URL, {"q": "เชียงราย", "level": "area"})
    assert values(province)[0] == "57"  # the exact name, the user's own province
    assert "จังหวัดเชียงราย" in province.content.decode()
    district = cr_client.get(URL, {"q": "อำเภอเมืองเชียงราย", "level": "area"})
    assert values(district)[0] == "5701"
    assert "อำเภอเมืองเชียงราย › จังหวัดเชียงราย" in district.content.decode()
    sub = cr_client.get(URL, {"q": "ตำบลเวียง", "level": "area"})
    assert values(sub)[0] == WIANG  # the user's own before the other ตำบลเวียง
    body = sub.content.decode()
    assert "ตำบลเวียง › อำเภอเมืองเชียงราย › จังหวัดเชียงราย" in body
    assert WIANG in body  # the code is shown


def test_english_names_find_a_province_a_district_and_a_sub_district(cr_client):
    cr_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    chiang_rai = Province.objects.get(code="57")
    mueang = District.objects.get(code="5701")
    wiang = Subdistrict.objects.get(code=WIANG)
    found = values(cr_client.get(URL, {"q": chiang_rai.name_en, "level": "area"}))
    assert found[0] == "57"
    found = values(cr_client.get(URL, {"q": mueang.name_en, "level": "area"}))
    assert "5701" in found[:3]
    found = values(cr_client.get(URL, {"q": f"{wiang.name_en} {mueang.name_en}", "level": "area"}))
    assert found[0] == WIANG


def test_the_user_area_comes_first_and_the_other_levels_are_unchanged(make_user):
    phayao = make_user(Role.SOCIAL_WORKER, code="56")
    found = pick_areas("เวียง", level="area", user=phayao)
    assert found and found[0].code.startswith("56")
    assert all(len(a.code) in (2, 4, 6) for a in found)
    # The sub-district level still offers sub-districts only.
    assert all(len(a.code) == 6 for a in pick_areas("เชียงราย", level="subdistrict"))
    assert pick_areas("", level="area") == []


@translation.override("th")
def test_codes_name_areas_of_every_level():
    assert area_label(area_for_code("57", "area")) == "จังหวัดเชียงราย"
    assert area_label(area_for_code("5701", "area")) == "อำเภอเมืองเชียงราย › จังหวัดเชียงราย"
    assert area_for_code(WIANG, "area").code == WIANG
    assert area_for_code("99", "area") is None
    assert [a.code for a in areas_named("5701", "area")] == ["5701"]
    assert [a.code for a in areas_named("อำเภอเมืองเชียงราย › จังหวัดเชียงราย", "area")] == ["5701"]
    assert [a.code for a in areas_named("ตำบลเวียง อำเภอเมืองเชียงราย", "area")] == [WIANG]
    assert areas_named("ไม่มีที่นี่", "area") == []


@pytest.mark.parametrize("make_form", [
    lambda data: SearchForm(data, groups={}),
    lambda data: CompareForm({"earlier": 1, "later": 2, **data}),
])  # fmt: skip
def test_both_filters_take_a_chosen_code_or_an_exact_typed_name(make_form):
    chosen = make_form({"area": "5701", "area_text": "อำเภอเมืองเชียงราย"})
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["area"] == "5701"
    typed = make_form({"area": "", "area_text": "จังหวัดเชียงราย"})
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["area"] == "57"
    typed = make_form({"area_text": "ตำบลเวียง › อำเภอเมืองเชียงราย › จังหวัดเชียงราย"})
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["area"] == WIANG
    unknown = make_form({"area": "", "area_text": "ไม่มีที่นี่"})
    assert not unknown.is_valid()
    assert "area" in unknown.errors
    empty = make_form({"area": "", "area_text": ""})
    assert empty.is_valid(), empty.errors
    assert empty.cleaned_data["area"] == ""  # the compare page: the whole country


@translation.override("th")
def test_an_ambiguous_typed_name_asks_to_choose():
    form = SearchForm({"area_text": "เวียง"}, groups={})
    assert not form.is_valid()
    assert "เวียง" in " ".join(form.errors["area"])


def _picker_box(html: str) -> str:
    match = re.search(r'<input type="text" name="area_text"[^>]*>', html)
    assert match, "no area picker on the page"
    return match.group(0)


def test_the_search_page_shows_the_area_picker(client, worker):
    client.force_login(worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/people/", {"area": "5701"}).content.decode()
    assert 'role="combobox"' in _picker_box(html)
    assert 'data-picker-url="/geo/pick/?level=area"' in html
    assert "Area code" not in html and ">Area<" in html
    mueang = District.objects.get(code="5701")
    assert f'value="{mueang.name_en} › ' in _picker_box(html)  # the label, not the code
    assert 'name="area" id="id_area_value" value="5701"' in html


def test_the_compare_page_shows_the_area_picker(client, make_user):
    client.force_login(make_user(Role.ANALYST, level="nation", code=""))
    html = client.get("/targeting/compare/", {"area": "57"}).content.decode()
    box = _picker_box(html)
    assert 'role="combobox"' in box and 'value="จังหวัดเชียงราย"' in box
    assert "รหัสพื้นที่" not in re.sub(r"<option.*?</option>", "", html)
    assert 'name="area" id="id_area_value" value="57"' in html
    assert isinstance(CompareForm().fields["area"].widget, AreaPicker)
    wrong = client.get("/targeting/compare/", {"area_text": "ไม่มีที่นี่"}).content.decode()
    box = _picker_box(wrong)
    assert 'aria-invalid="true"' in box and "is-invalid" in box
    assert 'value="ไม่มีที่นี่"' in box  # what was typed is shown back
    assert 'id="form-errors"' in wrong and not CompareForm({"area_text": "x"}).is_valid()
