"""Review fix: the assignment is the grant. A volunteer edits the details of a household
open-assigned to them, and of its members, even when bulk assignment gave them one outside
their own villages; an unassigned household outside their villages stays refused, and a
volunteer resting or gone edits nothing. Registering stays limited to their villages."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from onehome.errors import NotInScopeError, ValidationError
from onehome.registry import services as registry
from onehome.registry.models import Household, Person
from onehome.volunteers.models import VolunteerStatus
from onehome.volunteers.tests.factories import WIANG, assign, make_village, make_volunteer
from onehome.volunteers.tests.test_offline_sync import sync

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def volunteer(worker):
    """A volunteer working in village 1 of เวียง."""
    return make_volunteer(worker, villages=(1,))


@pytest.fixture
def outside(worker, make_household, make_person):
    """A household of village 2 (not the volunteer's) with its head."""
    household = make_household(village=make_village(WIANG, 2).code, house_no="5")
    head = make_person("บุญมี", "ไกลบ้าน", phone="0810000001")
    registry.add_member(actor=worker, household_id=household.pk, person_id=head.pk,
                        relationship="head", since=dt.date(2020, 1, 1))  # fmt: skip
    household.refresh_from_db()
    head.refresh_from_db()
    household.head = head
    return household


def _edits(household):
    """A household edit and a member edit, as the phone sends them."""
    now = timezone.now().isoformat()
    head = household.head
    return [
        {"client_id": str(uuid.uuid4()), "kind": "household_edit", "household_id": household.pk,
         "made_at": now, "edit": {"base_version": household.version,
                                  "base": {"house_no": "5"}, "mine": {"house_no": "5/1"}}},
        {"client_id": str(uuid.uuid4()), "kind": "member_edit", "household_id": household.pk,
         "made_at": now, "edit": {"object_id": head.pk, "base_version": head.version,
                                  "base": {"phone": "0810000001"},
                                  "mine": {"phone": "0890000009"}}},
    ]  # fmt: skip


def _untouched(household):
    assert Household.objects.get(pk=household.pk).house_no == "5"
    assert Person.objects.get(pk=household.head.pk).phone == "0810000001"


def test_a_household_assigned_outside_the_volunteers_villages_is_edited_from_the_phone(
    volunteer, outside, worker
):
    assign(volunteer, outside, by=worker)
    answers = sync(volunteer.user, *_edits(outside))
    assert [a["status"] for a in answers] == ["ok", "ok"], answers
    assert Household.objects.get(pk=outside.pk).house_no == "5/1"
    assert Person.objects.get(pk=outside.head.pk).phone == "0890000009"


def test_the_registry_lets_the_assigned_volunteer_correct_the_details(volunteer, outside, worker):
    assign(volunteer, outside, by=worker)
    registry.update_household(actor=volunteer.user, household_id=outside.pk,
                              expected_version=outside.version,
                              changes={"address_detail": "ซอย 2"})  # fmt: skip
    head = outside.head
    registry.update_person(actor=volunteer.user, person_id=head.pk,
                           expected_version=head.version,
                           changes={"line_id": "boonmee"})  # fmt: skip
    assert Household.objects.get(pk=outside.pk).address_detail == "ซอย 2"
    assert Person.objects.get(pk=head.pk).line_id == "boonmee"


def test_an_unassigned_household_outside_the_villages_stays_refused(volunteer, outside):
    answers = sync(volunteer.user, *_edits(outside))
    assert [a["status"] for a in answers] == ["refused", "refused"]
    with pytest.raises((ValidationError, NotInScopeError)):
        registry.update_household(actor=volunteer.user, household_id=outside.pk,
                                  expected_version=outside.version,
                                  changes={"house_no": "5/1"})  # fmt: skip
    _untouched(outside)


def test_a_household_assigned_to_another_volunteer_stays_refused(volunteer, outside, worker):
    assign(make_volunteer(worker, villages=(2,)), outside, by=worker)
    with pytest.raises(ValidationError):
        registry.update_household(actor=volunteer.user, household_id=outside.pk,
                                  expected_version=outside.version,
                                  changes={"house_no": "5/1"})  # fmt: skip
    _untouched(outside)


@pytest.mark.parametrize("status", [VolunteerStatus.LEFT, VolunteerStatus.RESTING])
def test_a_volunteer_resting_or_gone_edits_nothing(volunteer, outside, worker, status):
    assign(volunteer, outside, by=worker)
    type(volunteer).objects.filter(pk=volunteer.pk).update(status=status)
    answers = sync(volunteer.user, *_edits(outside))
    assert [a["status"] for a in answers] == ["refused", "refused"]
    with pytest.raises((ValidationError, NotInScopeError)):
        registry.update_person(actor=volunteer.user, person_id=outside.head.pk,
                               expected_version=outside.head.version,
                               changes={"phone": "0890000009"})  # fmt: skip
    _untouched(outside)


def test_the_assignment_grants_no_registering_or_moving_outside_the_villages(
    volunteer, outside, worker
):
    assign(volunteer, outside, by=worker)
    with pytest.raises(ValidationError):
        registry.create_household(actor=volunteer.user, subdistrict=WIANG,
                                  village=make_village(WIANG, 2).code, house_no="9")  # fmt: skip
    with pytest.raises(ValidationError):
        registry.update_household(actor=volunteer.user, household_id=outside.pk,
                                  expected_version=outside.version,
                                  changes={"village": make_village(WIANG, 3).code})  # fmt: skip
    assert Household.objects.get(pk=outside.pk).village_id == make_village(WIANG, 2).code
