"""GET /api/volunteers/households/{id}/story/: the same story as the page, audited, 404
from outside; a sensitive case is only an id behind the glass."""

import pytest
from rest_framework.test import APIClient

from onehome.access.models import AuditEvent
from onehome.volunteers.tests.story_data import build_story


@pytest.fixture
def story(worker, make_user, make_person, make_household):
    return build_story(
        worker=worker, make_user=make_user, make_person=make_person, make_household=make_household
    )


def _get(user, pk):
    api = APIClient()
    api.force_authenticate(user)
    return api.get(f"/api/volunteers/households/{pk}/story/")


def test_staff_get_the_whole_story(worker, story):
    response = _get(worker, story.household.pk)
    assert response.status_code == 200
    data = response.json()
    assert data["household"] == story.household.pk
    assert {m["person"] for m in data["members"]} == {story.head.pk, story.child.pk}
    assert [a["volunteer"] for a in data["assignments"]] == [story.volunteer.pk, story.before.pk]
    assert [a["ended_at"] is None for a in data["assignments"]] == [True, False]
    assert [v["id"] for v in data["visits"]] == [story.visits[1].pk, story.visits[0].pk]
    book = data["record_book"]
    assert [p["deprived"]["income"] for p in book] == [1, 0]
    assert [p["answered"]["income"] for p in book] == [1, 1]
    assert data["plan"]["agreed_on"] and data["goals"][0]["progress"] == 40
    assert [f["visit"] for f in data["follow_ups"]] == [story.visits[0].pk, None]
    assert data["enrollment"]["status"] == "in_progress"
    assert [c["id"] for c in data["cases"]] == [story.plain_case.pk]
    assert data["cases_behind_glass"] == [story.hidden_case.pk]
    assert "id_number" not in str(data)


def test_a_sensitive_case_is_shown_to_who_may_see_it(story):
    data = _get(story.boss, story.household.pk).json()
    assert {c["id"] for c in data["cases"]} == {story.plain_case.pk, story.hidden_case.pk}
    assert data["cases_behind_glass"] == []


def test_the_volunteer_gets_their_household_without_cases(story):
    data = _get(story.volunteer.user, story.household.pk).json()
    assert data["household"] == story.household.pk
    assert data["cases"] == [] and data["cases_behind_glass"] == []


@pytest.mark.parametrize("who", ["outsider", "former volunteer", "missing"])
def test_404_from_outside(who, outsider, worker, story):
    user = {"outsider": outsider, "former volunteer": story.before.user}.get(who, worker)
    pk = 987_654 if who == "missing" else story.household.pk
    assert _get(user, pk).status_code == 404


def test_the_read_is_audited(worker, story):
    _get(worker, story.household.pk)
    row = AuditEvent.objects.filter(actor_id=worker.pk, object_type="page").latest("id")
    assert story.household.pk in row.after["ids"]["registry.household"]


def test_the_endpoint_is_in_the_openapi_schema(worker):
    text = _schema(worker)
    assert "/api/volunteers/households/{id}/story/" in text
    assert "volunteers_household_story" in text


def _schema(user) -> str:
    api = APIClient()
    api.force_authenticate(user)
    return api.get("/api/schema/").content.decode()
