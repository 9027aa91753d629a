"""The story's deprivations come from the targeting run's explanation of the survey
household that IS this registry household (the reverse of `registry_links`), read through
the reader's scope."""

import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from onehome.demo import survey
from onehome.volunteers.tests.factories import make_village
from onehome.volunteers.tests.story_data import build_story


@pytest.fixture
def story(worker, make_user, make_person, make_household, monkeypatch):
    village = make_village()

    def in_village(**kw):
        return make_household(village=village.code, **kw)

    built = build_story(
        worker=worker, make_user=make_user, make_person=make_person, make_household=in_village
    )
    # Two survey rounds of the province's (the test's) households, run like the demo's; the
    # head holds a welfare card (the demo draws 40% of the poorer adults: maybe nobody here).
    monkeypatch.setattr(survey, "welfare_ids", lambda people: [survey.person_key(built.head)])
    # Every household of this survey fails every criterion, with a low income: poor.
    monkeypatch.setattr(survey, "HARDSHIP", ((1.0, 1.0, 10_000),))
    result = survey.build_survey(province="57", progress=False, stdout=io.StringIO())
    built.run = result.runs[-1]
    return built


def test_the_story_shows_the_households_deprivations_from_targeting(worker, story):
    api = APIClient()
    api.force_authenticate(worker)
    data = api.get(f"/api/volunteers/households/{story.household.pk}/story/").json()
    found = data["deprivations"]
    assert found is not None
    assert found["run"] == story.run.pk
    assert found["survey_household"] == str(story.household.pk)
    assert found["poor"] and found["target"]
    assert set(found["dimensions"]) == {f["dimension"] for f in found["failures"]}
    assert {"income", "living", "health"} <= set(found["dimensions"])
    assert "bmn22" in {f["indicator"] for f in found["failures"]}


def test_the_page_links_to_the_explanation(client, worker, story):
    client.force_login(worker)
    page = client.get(reverse("volunteers:story_household", args=[story.household.pk]))
    explanation = reverse("targeting:household", args=[story.run.pk, str(story.household.pk)])
    assert explanation in page.content.decode()


def test_a_household_outside_the_survey_has_no_deprivations(worker, make_household, story):
    from onehome.volunteers.story import selectors

    other = make_household()  # no village: not in the survey
    found = selectors.household_story(user=worker, household=other, purpose="test")
    assert found.deprivations is None
