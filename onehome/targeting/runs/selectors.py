"""Reads of run rows for the pages and API: the runs list, one run's status, the finished
runs to compare. A finished run's results are read by `results.selectors`."""

from __future__ import annotations

from django.db.models import QuerySet

from onehome.targeting.models import Run, RunStatus


def runs() -> QuerySet[Run]:
    """Every run, newest first (the model's ordering)."""
    return Run.objects.all()


def runs_with_inputs() -> QuerySet[Run]:
    """Every run with its survey round and welfare-card list, for a list of runs."""
    return Run.objects.select_related("survey_round__province", "welfare_list")


def run_by_id(run_id: int) -> Run | None:
    return Run.objects.filter(pk=run_id).first()


def done_runs() -> QuerySet[Run]:
    """Runs that finished, with their survey round (the runs a comparison can choose)."""
    return Run.objects.filter(status=RunStatus.DONE).select_related("survey_round__province")
