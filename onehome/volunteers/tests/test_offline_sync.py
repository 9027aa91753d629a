"""The volunteer app's API: restore (the package) and sync (a batch from the phone), the
conflicts an offline edit leaves, and their review by centre staff."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from onehome.access.models import AuditEvent, Role
from onehome.registry import services as registry
from onehome.registry.models import Household, Person
from onehome.volunteers.models import Conflict, ConflictStatus, HelpRequest, OfflineChange, Visit
from onehome.volunteers.tests.factories import assign, make_volunteer

PACKAGE = "/api/volunteers/app/package/"
SYNC = "/api/volunteers/app/sync/"
VILLAGE = "57010101"


@pytest.fixture
def home(worker, make_household, make_person):
    """A household of two in village 1, assigned to a volunteer of that village."""
    household = make_household(village=VILLAGE, house_no="12/3")
    head = make_person("มานี", "มีนา", phone="0810000000")
    child = make_person("ชูใจ", "มีนา")
    for person, relationship in ((head, "head"), (child, "child")):
        registry.add_member(
            actor=worker, household_id=household.pk, person_id=person.pk,
            relationship=relationship, since=dt.date(2020, 1, 1),
        )  # fmt: skip
    volunteer = make_volunteer(worker)
    assign(volunteer, household, by=worker)
    household.refresh_from_db()
    head.refresh_from_db()
    child.refresh_from_db()
    household.head, household.child, household.volunteer = head, child, volunteer
    return household


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def visit_item(home, client_id=None):
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "kind": "visit",
        "household_id": home.pk,
        "made_at": timezone.now().isoformat(),
        "visit": {
            "visited_on": timezone.localdate().isoformat(),
            "answers": {"safe_food": True},
            "present_ids": [home.head.pk],
            "needs": ["food"],
            "notes": "",
        },
    }


def help_item(home, visit_client_id=None):
    return {
        "client_id": str(uuid.uuid4()),
        "kind": "help_request",
        "household_id": home.pk,
        "help_request": {
            "kind": "help",
            "summary": "ผู้สูงอายุล้ม ต้องการรถเข็น",
            "urgency": "urgent",
            "visit_client_id": visit_client_id,
        },
    }


def member_edit(home, person, *, base, mine, base_version):
    return {
        "client_id": str(uuid.uuid4()),
        "kind": "member_edit",
        "household_id": home.pk,
        "made_at": timezone.now().isoformat(),
        "edit": {
            "object_id": person.pk,
            "base_version": base_version,
            "base": base,
            "mine": mine,
        },  # fmt: skip
    }


def sync(user, *items):
    response = client_of(user).post(SYNC, {"items": list(items)}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["items"]


# --- restore ------------------------------------------------------------------------------


def test_the_package_holds_only_the_assigned_households_with_ids_masked(
    home, worker, make_household, make_person
):
    other = make_household(village=VILLAGE, house_no="99")
    registry.add_member(
        actor=worker, household_id=other.pk, person_id=make_person("คนอื่น", "บ้านอื่น").pk,
        relationship="head",
    )  # fmt: skip
    response = client_of(home.volunteer.user).get(PACKAGE)
    assert response.status_code == 200
    data = response.json()
    assert data["household_ids"] == [home.pk]
    [household] = data["households"]
    assert household["version"] == home.version and household["house_no"] == "12/3"
    members = {m["id"]: m for m in household["members"]}
    assert set(members) == {home.head.pk, home.child.pk}
    masked = members[home.head.pk]["id_number_masked"]
    assert masked.endswith(home.head.id_number[-4:]) and masked.startswith("•")
    assert home.head.id_number not in response.content.decode()
    assert data["questionnaire"]["questions"]
    assert "คนอื่น" not in response.content.decode()


def test_a_restore_is_an_audited_read_naming_the_records_sent(home):
    client_of(home.volunteer.user).get(PACKAGE)
    row = AuditEvent.objects.filter(actor_id=home.volunteer.user.pk, action="read").latest("id")
    assert row.after["ids"]["registry.household"] == [home.pk]
    assert set(row.after["ids"]["registry.person"]) == {home.head.pk, home.child.pk}


def test_an_unassigned_household_leaves_the_package(home):
    home.volunteer_assignments.update(ended_at=timezone.now())
    data = client_of(home.volunteer.user).get(PACKAGE).json()
    assert data["household_ids"] == [] and data["households"] == []


def test_staff_are_refused_the_app_endpoints(home, worker):
    assert client_of(worker).get(PACKAGE).status_code == 403
    assert client_of(worker).post(SYNC, {"items": []}, format="json").status_code == 403
    assert APIClient().get(PACKAGE).status_code in (401, 403)


# --- sync ---------------------------------------------------------------------------------


def test_the_same_batch_twice_writes_each_item_once(home):
    user = home.volunteer.user
    first_visit = visit_item(home)
    batch = [first_visit, visit_item(home), help_item(home, first_visit["client_id"])]
    answers = sync(user, *batch)
    assert [a["status"] for a in answers] == ["ok", "ok", "ok"]
    again = sync(user, *batch)
    assert [a["status"] for a in again] == ["duplicate", "duplicate", "duplicate"]
    assert [a["id"] for a in again] == [a["id"] for a in answers]
    assert Visit.objects.filter(household=home).count() == 2
    request = HelpRequest.objects.get(household=home)
    assert request.visit.client_id == uuid.UUID(first_visit["client_id"])


def test_a_sync_is_an_audited_write_naming_each_item(home):
    item = visit_item(home)
    sync(home.volunteer.user, item)
    row = AuditEvent.objects.filter(object_type="volunteers.sync").latest("id")
    assert row.action == "create" and row.actor_id == home.volunteer.user.pk
    assert row.after["items"][0]["client_id"] == item["client_id"]


def test_an_item_for_a_household_not_assigned_is_refused_and_the_rest_written(home, make_household):
    stranger = make_household(village=VILLAGE)
    bad = visit_item(home)
    bad["household_id"] = stranger.pk
    broken = {"client_id": str(uuid.uuid4()), "kind": "visit", "household_id": home.pk}
    answers = sync(home.volunteer.user, bad, broken, visit_item(home))
    assert [a["status"] for a in answers] == ["refused", "refused", "ok"]
    assert "มอบหมาย" in answers[0]["message"] or answers[0]["message"]
    assert Visit.objects.filter(household=stranger).count() == 0
    assert Visit.objects.filter(household=home).count() == 1


def test_an_edit_on_the_current_version_is_applied_through_the_registry(home):
    head = home.head
    item = member_edit(home, head, base={"phone": head.phone}, mine={"phone": "0899999999"},
                       base_version=head.version)  # fmt: skip
    [answer] = sync(home.volunteer.user, item)
    assert answer["status"] == "ok", answer
    head_now = Person.objects.get(pk=head.pk)
    assert head_now.phone == "0899999999" and head_now.version == head.version + 1
    assert AuditEvent.objects.filter(
        object_type="registry.person", object_id=str(head.pk), action="update",
        actor_id=home.volunteer.user.pk,
    ).exists()  # fmt: skip
    [again] = sync(home.volunteer.user, item)
    assert again["status"] == "duplicate"
    assert Person.objects.get(pk=head.pk).version == head.version + 1


def test_two_fields_merge_and_one_changed_on_both_sides_waits_for_review(home, worker):
    head = home.head
    seen = Person.objects.get(pk=head.pk)
    # Meanwhile at the centre: the phone number changes.
    registry.update_person(actor=worker, person_id=head.pk, expected_version=seen.version,
                           changes={"phone": "0822222222"})  # fmt: skip
    item = member_edit(
        home, head, base_version=seen.version,
        base={"phone": seen.phone, "line_id": "", "disability": ""},
        mine={"phone": "0833333333", "line_id": "mani", "disability": "visual"},
    )  # fmt: skip
    [answer] = sync(home.volunteer.user, item)
    assert answer["status"] == "conflict" and answer["conflicts"] == ["phone"]
    now = Person.objects.get(pk=head.pk)
    assert (now.phone, now.line_id, now.disability) == ("0822222222", "mani", "visual")
    conflict = Conflict.objects.get()
    assert (conflict.field, conflict.base, conflict.theirs, conflict.mine) == (
        "phone", "0810000000", "0822222222", "0833333333",
    )  # fmt: skip
    assert conflict.theirs_by == worker and conflict.mine_by == home.volunteer.user
    assert conflict.theirs_at is not None
    assert OfflineChange.objects.get().outcome == "conflict"


def test_a_national_id_sent_from_the_phone_is_refused(home):
    head = home.head
    item = member_edit(home, head, base={"id_number": head.id_number},
                       mine={"id_number": "1234567890123"}, base_version=head.version)  # fmt: skip
    [answer] = sync(home.volunteer.user, item)
    assert answer["status"] == "refused"
    assert Person.objects.get(pk=head.pk).id_number == head.id_number


# --- review -------------------------------------------------------------------------------


@pytest.fixture
def conflict(home, worker):
    head = home.head
    registry.update_person(actor=worker, person_id=head.pk, expected_version=head.version,
                           changes={"phone": "0822222222"})  # fmt: skip
    sync(home.volunteer.user, member_edit(home, head, base={"phone": "0810000000"},
                                          mine={"phone": "0833333333"},
                                          base_version=head.version))  # fmt: skip
    return Conflict.objects.get()


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.CENTRE_STAFF)


def test_the_review_page_shows_both_values_and_applies_the_chosen_one(conflict, reviewer, client):
    client.force_login(reviewer)
    page = client.get("/volunteers/conflicts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "0822222222" in text and "0833333333" in text and "0810000000" in text
    response = client.post(f"/volunteers/conflicts/{conflict.pk}/resolve/", {"choice": "mine"},
                           follow=True)  # fmt: skip
    assert "0833333333" in response.content.decode()
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.RESOLVED and conflict.resolved_by == reviewer
    assert Person.objects.get(pk=conflict.object_id).phone == "0833333333"


def test_the_review_api_lists_and_resolves_with_a_typed_value(conflict, reviewer):
    api = client_of(reviewer)
    listed = api.get("/api/volunteers/conflicts/").json()
    assert [c["id"] for c in listed["results"]] == [conflict.pk]
    answer = api.post(f"/api/volunteers/conflicts/{conflict.pk}/resolve/",
                      {"choice": "other", "other": "0844444444"}, format="json")  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert Person.objects.get(pk=conflict.object_id).phone == "0844444444"
    again = api.post(f"/api/volunteers/conflicts/{conflict.pk}/resolve/", {"choice": "mine"},
                     format="json")  # fmt: skip
    assert again.status_code == 404


def test_outsiders_and_volunteers_cannot_review(conflict, outsider, home, client):
    for user in (outsider, home.volunteer.user):
        api = client_of(user)
        assert api.get("/api/volunteers/conflicts/").json()["results"] == []
        url = f"/api/volunteers/conflicts/{conflict.pk}/resolve/"
        assert api.post(url, {"choice": "mine"}, format="json").status_code == 404
    client.force_login(outsider)
    assert client.post(f"/volunteers/conflicts/{conflict.pk}/resolve/",
                       {"choice": "mine"}).status_code == 404  # fmt: skip
    assert Conflict.objects.get().status == ConflictStatus.OPEN


# --- the app's files ----------------------------------------------------------------------


def test_the_schema_lists_the_two_app_endpoints(client, worker):
    client.force_login(worker)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/volunteers/app/package/" in schema["paths"]
    assert "post" in schema["paths"]["/api/volunteers/app/sync/"]


def test_the_manifest_and_service_worker_are_served_for_the_app_scope(client, home):
    manifest = client.get("/volunteers/app/manifest.webmanifest").json()
    assert manifest["scope"] == "/volunteers/app/" and manifest["lang"] == "th"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    worker_script = client.get("/volunteers/app/sw.js")
    assert worker_script["Content-Type"].startswith("text/javascript")
    assert "no-cache" in worker_script["Cache-Control"]
    client.force_login(home.volunteer.user)
    page = client.get("/volunteers/app/")
    assert page.status_code == 200 and b"manifest.webmanifest" in page.content


def test_the_app_page_is_only_for_volunteers(client, worker):
    client.force_login(worker)
    assert client.get("/volunteers/app/").status_code == 404


def test_households_are_not_in_the_stored_model_of_another_volunteer(home, worker):
    other = make_volunteer(worker)
    data = client_of(other.user).get(PACKAGE).json()
    assert data["household_ids"] == []
    assert Household.objects.filter(pk=home.pk).exists()
