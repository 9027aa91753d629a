"""The area picker's suggestions (/geo/pick/): Thai and English names of the sub-district,
its district or province, the user's own area first, villages within a sub-district."""

import pytest
from django.urls import reverse

from onehome.access.models import Role, ScopeLevel
from onehome.conftest import WIANG
from onehome.geo.models import Subdistrict
from onehome.geo.picking import area_label, pick_areas

pytestmark = pytest.mark.django_db

URL = "/geo/pick/"


@pytest.fixture
def cr_client(client, make_user):
    """A worker of Mueang Chiang Rai district."""
    client.force_login(make_user(Role.SOCIAL_WORKER, level=ScopeLevel.DISTRICT, code="5701"))
    return client


def values(response) -> list[str]:
    import re

    return re.findall(r'data-value="(\d+)"', response.content.decode())


def test_url_is_geo_pick():
    assert reverse("geo:pick") == URL


def test_a_thai_name_finds_sub_districts_with_their_district_and_province(cr_client):
    response = cr_client.get(URL, {"q": "เวียง", "level": "subdistrict"})
    assert response.status_code == 200
    found = values(response)
    assert found[0] == WIANG  # an exact name inside the user's district comes first
    assert 1 < len(found) <= 20
    body = response.content.decode()
    assert "ตำบลเวียง › อำเภอเมืองเชียงราย › จังหวัดเชียงราย" in body
    assert 'role="option"' in body


def test_the_user_area_comes_before_the_same_name_elsewhere(client, make_user):
    # ตำบลเวียง exists in several provinces; a worker of Phayao (56) sees theirs first.
    phayao = Subdistrict.objects.filter(name_th="เวียง", province_id="56").first()
    assert phayao is not None
    client.force_login(make_user(Role.SOCIAL_WORKER, code="56"))
    found = values(client.get(URL, {"q": "เวียง"}))
    assert found[0].startswith("56") and WIANG in found
    assert found.index(WIANG) > found.index(phayao.code)


def test_an_english_name_and_a_district_word_narrow_the_list(cr_client):
    found = values(cr_client.get(URL, {"q": "wiang mueang chiang rai", "level": "subdistrict"}))
    assert found[0] == WIANG
    assert all(code.startswith("57") for code in found)  # every word matched in Chiang Rai
    found = values(cr_client.get(URL, {"q": "ต.เวียง อ.เมืองเชียงราย"}))
    assert found[0] == WIANG


def test_english_labels_in_english(cr_client):
    cr_client.cookies["django_language"] = "en"
    body = cr_client.get(URL, {"q": "Wiang", "level": "subdistrict"}).content.decode()
    assert "Wiang › Mueang Chiang Rai › Chiang Rai" in body


def test_villages_are_found_by_name_or_number_within_a_sub_district(cr_client):
    body = cr_client.get(URL, {"q": "ทดสอบ", "level": "village"}).content.decode()
    assert 'data-value="57010101"' in body
    assert f'data-parent-value="{WIANG}"' in body  # choosing it fills the sub-district
    found = values(cr_client.get(URL, {"q": "1", "level": "village", "within": WIANG}))
    assert found == ["57010101"]
    assert values(cr_client.get(URL, {"q": "ทดสอบ", "level": "village", "within": "570102"})) == []


def test_nothing_found_says_so_and_short_queries_find_nothing(cr_client):
    cr_client.cookies["django_language"] = "en"
    body = cr_client.get(URL, {"q": "ไม่มีชื่อนี้เลย"}).content.decode()
    assert "data-value" not in body and "Nothing found" in body
    assert pick_areas("", level="subdistrict") == []
    assert pick_areas("เวียง", level="province") == []


def test_results_are_limited():
    assert len(pick_areas("a", level="subdistrict")) == 20


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(URL, {"q": "เวียง"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_bangkok_labels_say_khwaeng_and_khet():
    sub = Subdistrict.objects.select_related("district", "province").get(code="100101")
    label = area_label(sub)
    assert label.startswith("แขวง") and "› เขต" in label and "จังหวัด" not in label
