# ruff: noqa: F811 (the fixtures imported from roster_helpers are parameters here)
"""Volunteers register households and people in their own villages, with the registry's
duplicate checks; anywhere else, or without a working record, they are refused in words
and nothing is written."""

import pytest
from django.urls import reverse
from django.utils import translation

from onehome.access.models import Role, User
from onehome.errors import LikelyDuplicatesError, ValidationError
from onehome.registry import services as registry
from onehome.registry.models import Household, Person
from onehome.volunteers.tests.factories import WIANG, make_volunteer
from onehome.volunteers.tests.roster_helpers import staff, villages  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
MINE, NOT_MINE = f"{WIANG}01", f"{WIANG}02"


def _person(actor, village, first="ใหม่", **kw):
    return registry.register_person(
        actor=actor, id_type="none", first_name_th=first, last_name_th="ในหมู่บ้าน",
        subdistrict=WIANG, village=village, birth_year=1980, **kw,
    )  # fmt: skip


def test_a_volunteer_registers_a_person_and_a_household_in_their_own_village(staff, villages):
    v = make_volunteer(staff, villages=(1,))
    person = _person(v.user, MINE)
    household = registry.create_household(actor=v.user, subdistrict=WIANG, village=MINE)
    assert person.village_id == MINE and household.village_id == MINE
    registry.add_member(
        actor=v.user, household_id=household.pk, person_id=person.pk, relationship="head"
    )


def test_the_duplicate_checks_apply_to_volunteers(staff, villages):
    v = make_volunteer(staff, villages=(1,))
    _person(v.user, MINE, first="ซ้ำซ้อน")
    with pytest.raises(LikelyDuplicatesError):
        _person(v.user, MINE, first="ซ้ำซ้อน")


def test_another_village_of_the_same_subdistrict_is_refused_in_words(staff, villages, english):
    v = make_volunteer(staff, villages=(1,))
    with pytest.raises(ValidationError) as exc:
        _person(v.user, NOT_MINE)
    assert "own villages" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        registry.create_household(actor=v.user, subdistrict=WIANG, village=NOT_MINE)
    with pytest.raises(ValidationError):
        _person(v.user, None)  # no village named: not one of theirs
    assert not Person.objects.filter(last_name_th="ในหมู่บ้าน").exists()
    assert not Household.objects.exists()


def test_the_refusal_is_in_thai_by_default(staff, villages):
    v = make_volunteer(staff, villages=(1,))
    with translation.override("th"), pytest.raises(ValidationError) as exc:
        _person(v.user, NOT_MINE)
    assert "หมู่บ้านของตนเอง" in exc.value.messages[0]  # the Thai catalogue's words


def test_a_volunteer_edits_only_households_of_their_villages(staff, villages, make_household):
    v = make_volunteer(staff, villages=(1,))
    theirs = make_household(village=MINE)
    other = make_household(village=NOT_MINE)
    registry.update_household(
        actor=v.user, household_id=theirs.pk, expected_version=1, changes={"house_no": "5"}
    )
    with pytest.raises(ValidationError):
        registry.update_household(
            actor=v.user, household_id=other.pk, expected_version=1, changes={"house_no": "5"}
        )
    with pytest.raises(ValidationError):  # nor move theirs out of their villages
        registry.update_household(
            actor=v.user, household_id=theirs.pk, expected_version=2,
            changes={"village": NOT_MINE},
        )  # fmt: skip
    assert Household.objects.get(pk=other.pk).house_no == ""
    assert Household.objects.get(pk=theirs.pk).village_id == MINE


@pytest.mark.parametrize("status", ["candidate", "trained", "resting", "left"])
def test_a_volunteer_whose_record_is_not_working_may_not_register(staff, villages, status):
    v = make_volunteer(staff, villages=(1,), status=status)
    with pytest.raises(ValidationError):
        _person(v.user, MINE)
    assert not Person.objects.filter(last_name_th="ในหมู่บ้าน").exists()


def test_a_volunteer_login_without_a_record_may_not_register(villages):
    login = User.objects.create_user(
        username="no-record", roles=[Role.VOLUNTEER], scope_level="subdistrict", scope_code=WIANG
    )
    with pytest.raises(ValidationError):
        _person(login, MINE)


def test_staff_still_register_anywhere_in_their_area(staff, villages):
    assert _person(staff, NOT_MINE).village_id == NOT_MINE


def test_the_registration_page_shows_the_refusal_and_saves_nothing(client, staff, villages):
    v = make_volunteer(staff, villages=(1,))
    client.force_login(v.user)
    body = {"id_type": "none", "first_name_th": "ทดสอบ", "sex": "female", "subdistrict": WIANG,
            "village": NOT_MINE, "acknowledge_duplicates": "on", "birth_year": "2523"}  # fmt: skip
    response = client.post(reverse("registry:person_create"), body)
    assert response.status_code == 200
    assert "หมู่บ้านของตนเอง" in response.content.decode()
    assert not Person.objects.filter(first_name_th="ทดสอบ").exists()
