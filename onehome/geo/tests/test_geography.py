"""The national geography from geothai, inspection regions from the cited data file, and
villages loaded at set-up or created through the API by the staff of their area."""

import json

import pytest
from django.db.models import F
from django.db.models.functions import Substr

from onehome.access.models import AuditEvent, Role
from onehome.errors import NotInScopeError, ValidationError
from onehome.geo.models import District, InspectionRegion, Province, Subdistrict, Village
from onehome.geo.selectors import area_by_code, subdistrict_codes
from onehome.geo.services import create_village, load_geography, load_village

pytestmark = pytest.mark.django_db


def test_the_whole_country_is_loaded_with_codes_and_both_names():
    assert (Province.objects.count(), District.objects.count(), Subdistrict.objects.count()) == (
        77,
        928,
        7436,
    )
    chiang_rai = Province.objects.get(code="57")
    assert (chiang_rai.name_th, chiang_rai.name_en) == ("เชียงราย", "Chiang Rai")
    assert chiang_rai.districts.count() == 18 and chiang_rai.subdistricts.count() == 124
    # every sub-district code starts with its district's code
    prefix = Substr("code", 1, 4)
    assert not Subdistrict.objects.annotate(p=prefix).exclude(p=F("district_id")).exists()


def test_every_province_is_in_exactly_one_inspection_region():
    assert not Province.objects.filter(region__isnull=True).exists()
    assert InspectionRegion.objects.count() == 19  # 18 regions and the central one
    assert Province.objects.get(code="57").region_id == "16"
    assert Province.objects.get(code="10").region_id == "central"


def test_loading_again_changes_nothing():
    load_geography()
    assert Subdistrict.objects.count() == 7436


def test_the_scoping_cache_lists_the_subdistricts_of_an_area():
    assert len(subdistrict_codes(level="province", code="57")) == 124
    assert (
        len(subdistrict_codes(level="region", code="16"))
        == Subdistrict.objects.filter(province__region_id="16").count()
    )
    assert subdistrict_codes(level="province", code="99") == ()


@pytest.mark.parametrize(
    ("code", "error"),
    [("5701010", "village_code_format"), ("99990101", "unknown_subdistrict"),
     ("57010100", "village_number"), ("abcdefgh", "village_code_format")],
)  # fmt: skip
def test_a_bad_village_code_is_explained_and_nothing_is_created(worker, code, error):
    with pytest.raises(ValidationError) as err:
        create_village(actor=worker, code=code, name_th="บ้านใหม่")
    assert err.value.code == error
    assert not Village.objects.filter(code=code).exists()


def test_a_village_belongs_to_the_subdistrict_its_code_names():
    village = load_village(code="57010207", name_th="บ้านดอย")
    assert (village.subdistrict_id, village.number) == ("570102", 7)
    assert area_by_code("57010207") == village
    assert area_by_code("57") == Province.objects.get(code="57")
    assert area_by_code("5") is None


def test_a_worker_adds_a_village_of_their_area_and_the_log_records_it(worker):
    village = create_village(actor=worker, code="57010208", name_th="บ้านใหม่")
    assert (village.subdistrict_id, village.number) == ("570102", 8)
    event = AuditEvent.objects.get(object_type="geo.village", object_id="57010208")
    assert (event.actor_id, event.action, event.subdistrict_code) == (worker.pk, "create", "570102")
    assert event.after["name_th"] == "บ้านใหม่"


def test_a_worker_cannot_add_a_village_outside_their_area(outsider):
    audited = AuditEvent.objects.count()  # the fixtures' own rows (the user's creation)
    with pytest.raises(NotInScopeError):
        create_village(actor=outsider, code="57010208", name_th="บ้านใหม่")
    assert not Village.objects.filter(code="57010208").exists()
    assert AuditEvent.objects.count() == audited  # append-only: the same count, no new row


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.AUDITOR, Role.HOTLINE_OPERATOR])
def test_a_role_that_does_not_keep_villages_cannot_add_one_even_in_its_area(make_user, role):
    with pytest.raises(NotInScopeError):
        create_village(actor=make_user(role), code="57010208", name_th="บ้านใหม่")
    assert not Village.objects.filter(code="57010208").exists()


def test_the_village_api_answers_404_outside_the_area_or_role_and_201_inside(
    client, make_user, worker
):
    body = json.dumps({"code": "57010209", "name_th": "บ้านใหม่"})
    for user in (
        make_user(Role.VOLUNTEER),
        make_user(Role.AUDITOR),
        make_user(Role.SUPERVISOR, code="10"),
    ):
        client.force_login(user)
        response = client.post("/api/villages/", body, content_type="application/json")
        assert response.status_code == 404, (user.roles, response.content)
    assert not Village.objects.filter(code="57010209").exists()
    client.force_login(worker)
    response = client.post("/api/villages/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert AuditEvent.objects.filter(object_type="geo.village", actor_id=worker.pk).count() == 1
