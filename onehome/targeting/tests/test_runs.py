"""Targeting runs are background tasks: really executed here by the database task worker
(`db_worker`), on SQLite and PostgreSQL alike. A run stores its results as Parquet files in
its own directory and a nation summary; a failing run says why and leaves other runs alone."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from onehome.access.models import Role
from onehome.errors import ValidationError
from onehome.targeting.catalogue_files import catalogue
from onehome.targeting.engine.measures import compute_mpi
from onehome.targeting.imports.survey_rounds import import_survey_round
from onehome.targeting.imports.welfare_lists import import_welfare_list
from onehome.targeting.models import Run, RunStatus
from onehome.targeting.runs.execution import execute_run
from onehome.targeting.runs.services import start_run
from onehome.targeting.tests.rounds import tpmap_people, write


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.ONEHOME_DATA_DIR = tmp_path / "data"
    return settings.ONEHOME_DATA_DIR


@pytest.fixture
def people(tmp_path) -> pd.DataFrame:
    return tpmap_people(60, seed=11)


@pytest.fixture
def survey_round(db, people, tmp_path):
    return import_survey_round(actor=None, path=write(people, tmp_path / "r.parquet"), year=2024)


@pytest.fixture
def welfare_list(db, people, tmp_path):
    ids = people.person_key[~people.person_key.str.startswith("survey:")]
    listed = pd.DataFrame({"national_id": ids.iloc[::2]})  # every other person with an ID
    path = write(listed, tmp_path / "welfare.csv")
    return import_welfare_list(actor=None, path=path, as_of=dt.date(2024, 6, 30))


# The worker closes and reopens database connections as in production, which a test
# wrapped in one transaction cannot survive on PostgreSQL: these tests use `live_data`
# (real commits, the geography loaded per test).
def work_off_queue() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def start(django_capture_on_commit_callbacks, **kw) -> Run:
    with django_capture_on_commit_callbacks(execute=True):
        return start_run(actor=None, **kw)


def test_a_run_executes_in_the_worker_and_stores_parquet_results(
    live_data, survey_round, welfare_list, people, data_dir, django_capture_on_commit_callbacks
):
    run = start(
        django_capture_on_commit_callbacks, survey_round=survey_round, welfare_list=welfare_list
    )
    assert run.status == RunStatus.QUEUED
    run.refresh_from_db()
    assert run.task_id and DBTaskResult.objects.filter(id=run.task_id).exists()

    work_off_queue()

    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.progress == 1.0 and run.started_at and run.finished_at
    assert sorted(p.name for p in run.result_path.iterdir()) == sorted(Run.RESULT_FILES)
    assert [p.name for p in (data_dir / "runs").iterdir()] == [run.result_path.name]
    assert run.result_path.name.startswith(f"{run.pk}-")
    task = DBTaskResult.objects.get(id=run.task_id)
    assert task.status == "SUCCESSFUL"

    # The stored figures are the engine's own on the same people.
    on_list = set(welfare_list_ids(welfare_list))
    table = ibis.memtable(people.assign(on_list=people.person_key.isin(on_list)))
    expected = compute_mpi(table, catalogue("tpmap_2018"), by=["on_list"])
    assert run.summary["n"] == expected["n"] and run.summary["q"] == expected["q"]
    assert run.summary["M0"] == pytest.approx(expected["M0"])
    listed_group = next(g for g in expected["groups"] if g["group"]["on_list"])
    assert run.summary["target_poor"] == listed_group["q"] > 0
    assert run.summary["households"] == survey_round.households

    areas = pd.read_parquet(run.result_path / "areas.parquet")
    assert set(areas.level) == {"nation", "province", "district", "subdistrict", "village"}
    assert set(areas[areas.level == "village"].code) == set(people.village_code)
    households = pd.read_parquet(run.result_path / "households.parquet")
    assert (households.poor_members > 0).all()
    assert len(households) == run.summary["poor_households"]


def welfare_list_ids(welfare_list) -> list[str]:
    return list(pd.read_parquet(welfare_list.path).national_id)


def test_a_failing_run_says_why_and_leaves_earlier_results_intact(
    live_data, survey_round, people, tmp_path, django_capture_on_commit_callbacks
):
    good = start(django_capture_on_commit_callbacks, survey_round=survey_round)
    work_off_queue()
    good.refresh_from_db()
    assert good.status == RunStatus.DONE
    before = {p.name: p.read_bytes() for p in good.result_path.iterdir()}

    broken_round = import_survey_round(
        actor=None, path=write(people.head(20), tmp_path / "r2.csv"), year=2025
    )
    bad = start(django_capture_on_commit_callbacks, survey_round=broken_round)
    broken_round.path.write_bytes(b"this is no longer a parquet file")
    work_off_queue()

    bad.refresh_from_db()
    assert bad.status == RunStatus.FAILED
    assert bad.error and bad.finished_at and not bad.result_dir
    good.refresh_from_db()
    assert good.status == RunStatus.DONE
    assert {p.name: p.read_bytes() for p in good.result_path.iterdir()} == before
    assert sorted(p.name for p in good.result_path.parent.iterdir()) == [good.result_path.name]


@pytest.mark.django_db
def test_progress_is_recorded_stage_by_stage(survey_round):
    run = start_run(actor=None, survey_round=survey_round, background=False)
    seen = []

    def watch(stage, fraction):
        seen.append((stage, fraction, Run.objects.get(pk=run.pk).progress))

    execute_run(run_id=run.pk, progress=watch)
    fractions = [f for _stage, f, _stored in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(seen) >= 4
    # The row is updated before each callback, so a page polling it sees the same.
    assert all(stored == pytest.approx(f, abs=1e-4) for _s, f, stored in seen[:-1])


@pytest.mark.django_db
def test_a_finished_run_is_not_run_again(survey_round):
    run = start_run(actor=None, survey_round=survey_round, background=False)
    assert execute_run(run_id=run.pk).status == RunStatus.DONE
    finished = Run.objects.get(pk=run.pk).finished_at
    assert execute_run(run_id=run.pk).finished_at == finished


@pytest.mark.django_db
def test_a_run_that_cannot_start_is_refused_before_anything_is_queued(survey_round):
    with pytest.raises(ValidationError):
        start_run(actor=None, survey_round=survey_round, k="2")
    with pytest.raises(ValidationError):
        start_run(actor=None, survey_round=survey_round, spec_name="../../etc/passwd")
    assert not Run.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_k_and_settings_are_applied_and_kept(survey_round):
    run = start_run(
        actor=None,
        survey_round=survey_round,
        k="0.3",
        spec_settings={"income_threshold": 10000},
        background=False,
    )
    run = execute_run(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.error
    union = execute_run(
        run_id=start_run(actor=None, survey_round=survey_round, background=False).pk
    )
    assert run.summary["q"] < union.summary["q"]


@pytest.mark.django_db
def test_only_analysts_and_admins_start_runs(survey_round, worker, make_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        start_run(actor=worker, survey_round=survey_round, background=False)
    analyst = make_user(Role.ANALYST)
    assert start_run(actor=analyst, survey_round=survey_round, background=False).created_by == (
        analyst
    )
