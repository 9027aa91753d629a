"""The targeting API: runs, areas with measures and children, subsets, comparisons (small
cells suppressed for analysts), households of a run and explanations (scoped, 404 outside),
all in the OpenAPI schema."""

import pytest
from rest_framework.test import APIClient

from onehome.access.models import Role
from onehome.registry.models import Household


@pytest.fixture
def run(module_run):
    """One finished run for the module's tests (targeting/tests/conftest.py)."""
    return module_run


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_runs_and_areas(run, worker, make_user):
    client = api(make_user(Role.SOCIAL_WORKER, level="nation", code=""))
    runs = client.get("/api/targeting/runs/").json()
    assert runs["results"][0]["status"] == "done"
    body = client.get(f"/api/targeting/runs/{run.pk}/areas/").json()
    assert body["n"] == "5" and body["q"] == "4" and body["target_poor"] == "2"
    assert body["H"] == pytest.approx(0.8)
    assert set(body["contribution"]) >= {"bmn22", "bmn27"}
    assert [c["code"] for c in body["children"]] == ["10", "57"]
    # A province worker sees their province exactly, the nation and Bangkok as analysts do.
    client = api(worker)
    body = client.get(f"/api/targeting/runs/{run.pk}/areas/").json()
    assert body["q"] == "<5" and body["H"] is None
    assert [(c["code"], c["q"]) for c in body["children"]] == [("10", "<5"), ("57", "3")]
    village = client.get(f"/api/targeting/runs/{run.pk}/areas/?code=57010101").json()
    assert village["q"] == "3" and village["children"] == []
    assert client.get(f"/api/targeting/runs/{run.pk}/areas/?code=5").status_code == 404


def test_subsets(run, worker):
    rows = api(worker).get(f"/api/targeting/runs/{run.pk}/subsets/?code=57").json()
    labels = {r["label"]: r for r in rows}
    assert labels["income+access"]["poor"] == "1" and labels["income"]["poor"] == "2"
    # The dimensions by name in the language asked for (issue 15: labels, not codes).
    assert labels["income+access"]["name"] == "รายได้ + การเข้าถึงบริการรัฐ"
    english = (
        api(worker)
        .get(f"/api/targeting/runs/{run.pk}/subsets/?code=57", HTTP_ACCEPT_LANGUAGE="en")
        .json()
    )
    assert {r["name"] for r in english} >= {"Income + Access to public services", "Income"}
    assert sum(r["share"] for r in rows) == pytest.approx(1.0)


def test_analysts_get_suppressed_cells(run, make_user):
    analyst = make_user(Role.ANALYST, level="nation", code="")
    body = api(analyst).get(f"/api/targeting/runs/{run.pk}/areas/").json()
    assert body["q"] == "<5" and body["H"] is None
    assert api(analyst).get(f"/api/targeting/households/?run={run.pk}").status_code == 404


def test_households_are_scoped(run, worker, outsider):
    rows = api(worker).get(f"/api/targeting/households/?run={run.pk}").json()
    assert [r["household_id"] for r in rows] == ["H1"]
    assert [
        r["household_id"]
        for r in api(outsider).get(f"/api/targeting/households/?run={run.pk}").json()
    ] == ["HB"]
    assert api(outsider).get(f"/api/targeting/households/H1/?run={run.pk}").status_code == 404
    assert api(worker).get("/api/targeting/households/H1/").status_code == 404  # no run


def test_explanation(run, worker):
    body = api(worker).get(f"/api/targeting/households/H1/?run={run.pk}").json()
    assert body["target"] is True
    failed = {(f["indicator"], f["member"]) for f in body["failures"]}
    assert ("bmn27", 1) in failed and ("bmn20", 2) in failed


def test_link_creates_once(run, worker, outsider):
    url = f"/api/targeting/households/H1/link/?run={run.pk}"
    assert api(outsider).post(url).status_code == 404
    first = api(worker).post(url)
    second = api(worker).post(url)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["registry_household"] == second.json()["registry_household"]
    assert Household.objects.count() == 1


def test_schema_lists_the_targeting_endpoints(worker):
    schema = api(worker).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/targeting/runs/",
        "/api/targeting/runs/{id}/areas/",
        "/api/targeting/runs/{id}/subsets/",
        "/api/targeting/runs/{id}/compare/",
        "/api/targeting/households/",
        "/api/targeting/households/{id}/",
        "/api/targeting/households/{id}/link/",
        "/api/targeting/households/changes/",
        "/api/targeting/rounds/",
    ):
        assert path in paths, path
