"""Welfare-card lists: valid Thai IDs only, no repeats, all or nothing; and the import and
run commands with their progress bars and error reports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from onehome.errors import ValidationError
from onehome.targeting.imports.import_steps import ImportRejected
from onehome.targeting.imports.welfare_lists import import_welfare_list
from onehome.targeting.models import Run, RunStatus, SurveyRound, WelfareCardList
from onehome.targeting.tests.rounds import thai_id, tpmap_people, write

# Messages are asserted in English (Thai is the default language).
pytestmark = pytest.mark.usefixtures("english")

AS_OF = dt.date(2024, 6, 30)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.ONEHOME_DATA_DIR = tmp_path / "data"
    return settings.ONEHOME_DATA_DIR


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_valid_list_is_stored_compact_and_sorted(tmp_path, suffix):
    ids = [thai_id() for _ in range(50)]
    shown = [f"{i[0]}-{i[1:5]}-{i[5:10]}-{i[10:12]}-{i[12]}" for i in ids[:5]] + ids[5:]
    path = write(pd.DataFrame({"national_id": shown}), tmp_path / f"w{suffix}")
    welfare_list = import_welfare_list(actor=None, path=path, as_of=AS_OF, name="2567")
    assert welfare_list.count == 50 and welfare_list.name == "2567"
    stored = pd.read_parquet(welfare_list.path)
    assert list(stored.columns) == ["national_id", "_id_number"]  # and the run-ready number
    assert list(stored.national_id) == sorted(ids)
    assert list(stored._id_number) == [int(i) for i in sorted(ids)]


@pytest.mark.django_db
def test_invalid_and_repeated_ids_are_reported_and_nothing_is_loaded(tmp_path, data_dir):
    ids = [thai_id() for _ in range(10)]
    ids[2] = ids[2][:-1] + str((int(ids[2][-1]) + 1) % 10)  # wrong check digit
    ids[4] = ""
    ids[6] = "12345"
    ids[8] = ids[1]
    path = write(pd.DataFrame({"national_id": ids}), tmp_path / "w.csv")
    with pytest.raises(ImportRejected) as caught:
        import_welfare_list(actor=None, path=path, as_of=AS_OF)
    rows = {(e.row, e.value) for e in caught.value.errors}
    assert rows == {(3, ids[2]), (5, ""), (7, "12345"), (9, ids[1])}
    repeat = next(e for e in caught.value.errors if e.row == 9)
    assert "row 2" in repeat.message
    assert not WelfareCardList.objects.exists()
    assert not [p for p in data_dir.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_a_list_without_the_national_id_column_is_refused(tmp_path):
    path = write(pd.DataFrame({"pid": [thai_id()]}), tmp_path / "w.csv")
    with pytest.raises(ValidationError, match="national_id"):
        import_welfare_list(actor=None, path=path, as_of=AS_OF)


@pytest.mark.django_db
def test_a_list_dated_in_the_future_is_refused(tmp_path):
    path = write(pd.DataFrame({"national_id": [thai_id()]}), tmp_path / "w.csv")
    with pytest.raises(ValidationError):
        import_welfare_list(actor=None, path=path, as_of=dt.date.today() + dt.timedelta(days=1))


@pytest.mark.django_db
def test_the_commands_import_a_round_and_a_list_and_run_it(tmp_path):
    people = tpmap_people(20)
    round_file = write(people, tmp_path / "r.csv")
    out = io.StringIO()
    call_command(
        "survey", "import", str(round_file), "--year", "2024", stdout=out, stderr=io.StringIO()
    )
    survey_round = SurveyRound.objects.get()
    assert f"survey round {survey_round.pk}" in out.getvalue()
    ids = people.person_key[~people.person_key.str.startswith("survey:")]
    list_file = write(pd.DataFrame({"national_id": ids}), tmp_path / "w.parquet")
    call_command(
        "welfare",
        "import",
        str(list_file),
        "--as-of",
        "2024-06-30",
        stdout=out,
        stderr=io.StringIO(),
    )
    welfare_list = WelfareCardList.objects.get()
    assert welfare_list.count == len(ids)

    bar = io.StringIO()
    call_command(
        "mpi",
        "run",
        "--round",
        str(survey_round.pk),
        "--welfare",
        str(welfare_list.pk),
        stdout=out,
        stderr=bar,
    )
    run = Run.objects.get()
    assert run.status == RunStatus.DONE
    assert f"run {run.pk} done" in out.getvalue()


@pytest.mark.django_db
def test_a_rejected_import_prints_the_report_and_writes_it_in_full(tmp_path):
    people = tpmap_people(30)
    people["sex"] = "x"
    round_file = write(people, tmp_path / "r.csv")
    err = io.StringIO()
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command(
            "survey",
            "import",
            str(round_file),
            "--year",
            "2024",
            "--report",
            str(report),
            "--no-progress",
            stderr=err,
        )
    assert "row 1, sex = 'x'" in err.getvalue()
    with report.open(encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == len(people) and lines[0]["column"] == "sex"
    assert not SurveyRound.objects.exists()


@pytest.mark.django_db
def test_mpi_run_in_the_background_only_queues(tmp_path):
    round_file = write(tpmap_people(5), tmp_path / "r.csv")
    call_command(
        "survey", "import", str(round_file), "--year", "2024", "--no-progress", stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command(
        "mpi", "run", "--round", str(SurveyRound.objects.get().pk), "--background", stdout=out
    )
    assert "queued" in out.getvalue()
    assert Run.objects.get().status == RunStatus.QUEUED
