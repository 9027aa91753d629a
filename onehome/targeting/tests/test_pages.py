"""Targeting pages: rounds and runs with their status, the area drill-down with measures,
indicators, the 31-subset table and the tile map, small cells suppressed for analysts."""

import pytest

from onehome.access.models import Role
from onehome.targeting.models import Run, RunStatus
from onehome.targeting.tests import finished


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, level="nation", code="")


@pytest.fixture
def run(module_run):
    """One finished run for the module's tests (targeting/tests/conftest.py). The import
    page's tests, which need a database without a survey round, are in
    test_import_page.py."""
    return module_run


def test_runs_page_shows_status_progress_and_errors(client, run, analyst):
    running = Run.objects.create(
        survey_round=run.survey_round, spec_name="tpmap_2018", status=RunStatus.RUNNING,
        progress=0.4, stage="villages",
    )  # fmt: skip
    failed = Run.objects.create(
        survey_round=run.survey_round, spec_name="tpmap_2018", status=RunStatus.FAILED,
        error="column bmn22_income_per_person is not in the data",
    )  # fmt: skip
    client.force_login(analyst)
    body = client.get("/targeting/").content.decode()
    assert f'hx-get="/targeting/runs/{running.pk}/status/"' in body and "40%" in body
    assert 'hx-trigger="every 2s"' in body
    assert "is not in the data" in body
    assert f"/targeting/runs/{run.pk}/areas/" in body
    assert 'action="/targeting/runs/start/"' in body  # analysts may start runs
    fragment = client.get(f"/targeting/runs/{failed.pk}/status/").content.decode()
    assert "is not in the data" in fragment and "hx-get" not in fragment


def test_the_forms_propose_the_tpmap_catalogue(client, run, analyst):
    # "global_mpi" comes first by name; the ministry's targeting runs on TPMAP.
    client.force_login(analyst)
    for page in ("/targeting/", "/targeting/import/"):  # start a run; import a file
        body = client.get(page).content.decode()
        assert body.count('<option value="tpmap_2018" selected>') == 1, page
        assert '<option value="global_mpi" selected>' not in body


def test_people_without_a_targeting_role_get_not_found(client, run, make_user):
    client.force_login(make_user(Role.FUND_OFFICER))
    assert client.get("/targeting/").status_code == 404
    assert client.get(f"/targeting/runs/{run.pk}/areas/").status_code == 404


def test_nation_page_has_measures_map_subsets_and_children(client, run, worker):
    client.force_login(worker)
    response = client.get(f"/targeting/runs/{run.pk}/areas/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="tile-map"' in body and f"/targeting/runs/{run.pk}/areas/57/" in body
    # Each combination by its dimensions' names: รายได้ (income) + การเข้าถึงบริการรัฐ (access).
    assert 'id="subsets"' in body and "<td>รายได้ + การเข้าถึงบริการรัฐ</td>" in body
    assert 'id="children"' in body and "เชียงราย" in body
    assert 'class="bar-chart"' in body and "รายได้เฉลี่ยของคนในครัวเรือนต่อปี" in body
    # The nation is wider than a province worker's area: its small cells are hidden.
    assert response.context["this"]["q"] == "<5"


def test_exact_counts_inside_ones_own_area_only(client, run, worker, outsider, make_user):
    national = make_user(Role.SOCIAL_WORKER, level="nation", code="")
    client.force_login(national)
    ctx = client.get(f"/targeting/runs/{run.pk}/areas/").context
    assert ctx["this"]["n"] == "5" and ctx["this"]["q"] == "4"  # H1 ×2, H3, HB
    assert ctx["this"]["target_poor"] == "2"
    # Chiang Rai's worker: Chiang Rai exact, Bangkok's one poor person hidden; Bangkok's
    # worker the other way round.
    client.force_login(worker)
    rows = {
        r["code"]: r for r in client.get(f"/targeting/runs/{run.pk}/areas/").context["children"]
    }
    assert rows["57"]["q"] == "3" and rows["10"]["q"] == "<5" and rows["10"]["H"] is None
    assert client.get(f"/targeting/runs/{run.pk}/areas/57/").context["this"]["q"] == "3"
    client.force_login(outsider)
    rows = {
        r["code"]: r for r in client.get(f"/targeting/runs/{run.pk}/areas/").context["children"]
    }
    assert rows["57"]["q"] == "<5" and rows["10"]["q"] == "1"
    village = client.get(f"/targeting/runs/{run.pk}/areas/57010101/").context["this"]
    assert village["q"] == "<5" and village["target_poor"] == "<5"


def test_drill_down_to_a_village(client, run, worker):
    client.force_login(worker)
    for code in ("57", "5701", "570101", "57010101"):
        response = client.get(f"/targeting/runs/{run.pk}/areas/{code}/")
        assert response.status_code == 200, code
    assert response.context["this"]["q"] == "3" and response.context["children"] == []
    assert client.get(f"/targeting/runs/{run.pk}/areas/99/").status_code == 404
    assert client.get(f"/targeting/runs/{run.pk}/areas/abc/").status_code == 404


def test_small_cells_are_suppressed_for_analysts(client, run, analyst):
    client.force_login(analyst)
    response = client.get(f"/targeting/runs/{run.pk}/areas/")
    assert response.context["this"]["q"] == "<5" and response.context["this"]["H"] is None
    body = response.content.decode()
    assert "&lt;5" in body and f"/targeting/runs/{run.pk}/households/" not in body
    assert 'id="small-cells-note"' in body  # "<5" is explained


def test_no_small_cell_note_where_every_count_is_exact(client, run, make_user):
    client.force_login(make_user(Role.SOCIAL_WORKER, level="nation", code=""))
    body = client.get(f"/targeting/runs/{run.pk}/areas/").content.decode()
    assert "&lt;5" not in body and 'id="small-cells-note"' not in body


def test_unfinished_runs_have_no_area_pages(client, run, analyst):
    queued = Run.objects.create(survey_round=run.survey_round, spec_name="tpmap_2018")
    client.force_login(analyst)
    assert client.get(f"/targeting/runs/{queued.pk}/areas/").status_code == 404


def test_every_household_route_hides_chiang_rai_from_a_bangkok_worker(
    client, run, data_dir, make_user
):
    """Like access/tests/test_url_policies.py, with real run and household ids: every
    personal-data targeting route answers 404 or shows nothing of Chiang Rai."""
    from django.urls import get_resolver

    from onehome.access.policy import PERSONAL_DATA, policy_of

    earlier = finished.finished_run(
        data_dir, year=2023, frame=finished.people(h3_income=80_000.0, h2_income=30_000.0)
    )
    outsider = make_user(*sorted(Role.values), code="10")
    client.force_login(outsider)
    routes = [
        p for p in get_resolver("onehome.targeting.urls").url_patterns
        if policy_of(p.callback) == PERSONAL_DATA
    ]  # fmt: skip
    assert len(routes) == 5
    kwargs = {"run_id": run.pk, "household_id": "H1"}
    for pattern in routes:
        route = str(pattern.pattern)
        url = "/targeting/" + route.replace("<int:run_id>", str(run.pk)).replace(
            "<str:household_id>", "H1"
        )
        url += f"?earlier={earlier.pk}&later={run.pk}&area=57"
        response = client.post(url) if route.endswith("link/") else client.get(url)
        body = response.content.decode(errors="ignore")
        assert response.status_code in (200, 404), (url, response.status_code)
        # (a 404 page repeats the URL, so look for what only the household's data holds)
        assert "57010101" not in body and finished.KEY_H1_ELDER not in body, url
        assert set(kwargs) >= set(pattern.pattern.converters)


def test_analysts_start_runs(client, run, analyst, worker):
    client.force_login(analyst)
    response = client.post(
        "/targeting/runs/start/",
        {"survey_round": run.survey_round.pk, "catalogue": "tpmap_2018", "k": "1/3",
         "income_threshold": 40000},
    )  # fmt: skip
    assert response.status_code == 302
    queued = Run.objects.order_by("-pk").first()
    assert queued.pk != run.pk and queued.status == RunStatus.QUEUED
    assert queued.k == "1/3" and queued.spec_settings == {"income_threshold": 40000}
    client.force_login(worker)
    assert client.post("/targeting/runs/start/", {}).status_code == 404


def test_household_links_only_where_the_user_has_households(client, run, worker, outsider):
    client.force_login(outsider)  # Bangkok: Chiang Rai's list would be empty
    assert not client.get(f"/targeting/runs/{run.pk}/areas/57/").context["can_see_households"]
    assert client.get(f"/targeting/runs/{run.pk}/areas/").context["can_see_households"]
    client.force_login(worker)
    assert client.get(f"/targeting/runs/{run.pk}/areas/57/").context["can_see_households"]
    assert client.get(f"/targeting/runs/{run.pk}/areas/570101/").context["can_see_households"]
    assert not client.get(f"/targeting/runs/{run.pk}/areas/10/").context["can_see_households"]
