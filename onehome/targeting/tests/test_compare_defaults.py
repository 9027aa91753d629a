"""The two runs the comparison form proposes (apart from test_compare_pages.py, whose tests
share two finished runs: this one starts with no run at all)."""

from onehome.targeting.models import Run, RunStatus, SurveyRound
from onehome.targeting.results import year_over_year as yoy


def _done_run(year: int, province: str | None = None) -> Run:
    """A finished run's row only: enough for what the form proposes, which reads no file."""
    survey_round = SurveyRound.objects.create(
        year=year,
        name=f"round {year}",
        province_id=province,
        catalogue="tpmap_2018",
        parquet_path=f"rounds/{year}.parquet",
        rows=1,
        households=1,
        checksum=f"{year}-{province}-{SurveyRound.objects.count()}",
    )
    return Run.objects.create(
        survey_round=survey_round, spec_name="tpmap_2018", status=RunStatus.DONE, result_dir="r"
    )


def test_the_proposed_earlier_run_is_of_an_older_round_of_the_same_area(db):
    assert yoy.default_runs() == (None, None)
    older = _done_run(2023)
    _done_run(2022, province="57")  # a provincial round cannot be compared with a national one
    newest = _done_run(2024)
    Run.objects.create(survey_round=newest.survey_round, spec_name="tpmap_2018")  # not finished
    rerun = Run.objects.create(
        survey_round=newest.survey_round,
        spec_name="tpmap_2018",
        status=RunStatus.DONE,
        result_dir="r",
    )
    # The newest run is proposed as the later one; the earlier is never of its own round.
    assert yoy.default_runs() == (older, rerun)
    Run.objects.exclude(pk=older.pk).delete()
    assert yoy.default_runs() == (None, older)  # nothing older to compare with
