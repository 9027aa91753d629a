"""Running a targeting run: the background task's body (`tasks.run_targeting`), also run in
the foreground by ``onehome mpi run`` and the demo.

The body reads the round's Parquet file (and the welfare-card list's) with DuckDB through
Ibis, calls :func:`engine.full_run.full_run`, and writes ``areas``, ``subsets`` and ``households``
Parquet files into a scratch directory that is renamed to the run's own directory only
when all three are complete. So a run that fails — bad file, full disk, a bug — records
why (status ``failed`` and ``error``) and leaves no half results; earlier runs' files live
in their own directories and are never touched.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable
from typing import Any

import ibis
import numpy as np
import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction
from onehome.errors import ValidationError
from onehome.targeting.catalogue_files import run_spec
from onehome.targeting.engine.full_run import HOUSEHOLD_COUNTS, RunOutput, full_run
from onehome.targeting.engine.measures import measures_frame
from onehome.targeting.engine.spec import Spec, SpecError
from onehome.targeting.engine.village_totals import read_summary
from onehome.targeting.imports.import_steps import data_dir
from onehome.targeting.models import Run, RunStatus

logger = logging.getLogger(__name__)
Progress = Callable[[str, float], None]
# full_run's own fractions are mapped into this share of the run's progress bar.
_ENGINE_SHARE = (0.05, 0.9)


def execute_run(*, run_id: int, progress: Progress | None = None) -> Run:
    """The task body. Runs a queued run to ``done`` or ``failed``; never raises for a
    failure of the run itself (the run row says what went wrong)."""
    claimed = Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), stage="reading", progress=0.0
    )
    run = Run.objects.select_related("survey_round", "welfare_list").get(pk=run_id)
    if not claimed:  # already run, or running elsewhere: a retried task does nothing
        return run
    scratch = None
    try:
        spec = run_spec(run)
        output = _compute(run, spec, _progress_writer(run, progress))
        _set_progress(run, "writing results", _ENGINE_SHARE[1], progress)
        runs_dir = data_dir() / "runs"
        runs_dir.mkdir(parents=True, exist_ok=True)
        scratch = runs_dir / f".run-{run.pk}-{uuid.uuid4().hex}"
        scratch.mkdir()
        for name, frame in zip(Run.RESULT_FILES, _frames(output), strict=True):
            frame.to_parquet(scratch / name, index=False, compression="zstd")
        # Unique even across databases sharing one data directory (a rebuilt demo restarts
        # run ids at 1): a leftover runs/<id> from an old database is never in the way.
        relative = f"runs/{run.pk}-{scratch.name.rsplit('-', 1)[1][:12]}"
        os.rename(scratch, data_dir() / relative)  # atomic: all three files or none
        scratch = None
        summary = nation_summary(output.areas, spec)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the run
        _fail(run, exc)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        return run
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        stage="done",
        progress=1.0,
        finished_at=timezone.now(),
        result_dir=relative,
        summary=summary,
    )
    if progress is not None:
        progress("done", 1.0)
    _record_status(run, "targeting run finished")
    return run


def _compute(run: Run, spec: Spec, progress: Progress) -> RunOutput:
    con = ibis.duckdb.connect()
    people = con.read_parquet(str(run.survey_round.path), table_name="people")
    welfare = None
    if run.welfare_list is not None:
        welfare = con.read_parquet(str(run.welfare_list.path), table_name="welfare_ids")
    per_village = read_summary(run.survey_round.path)
    return full_run(people, spec, welfare_ids=welfare, per_village=per_village, progress=progress)


def _frames(output: RunOutput) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    households = output.households.copy()
    if "deprived" in households and households["deprived"].dtype == object:
        # A list of indicator ids per household: stored as a comma-separated string.
        households["deprived"] = households["deprived"].map(
            lambda v: ",".join(map(str, v)) if isinstance(v, list | tuple | np.ndarray) else v
        )
    return output.areas, output.subsets, households


def _progress_writer(run: Run, progress: Progress | None) -> Progress:
    low, high = _ENGINE_SHARE

    def write(stage: str, fraction: float) -> None:
        _set_progress(run, stage, low + (high - low) * max(0.0, min(1.0, fraction)), progress)

    return write


def _set_progress(run: Run, stage: str, fraction: float, progress: Progress | None) -> None:
    # Outside any transaction: the page polling the run sees each stage as it happens.
    Run.objects.filter(pk=run.pk).update(stage=stage[:64], progress=round(fraction, 4))
    if progress is not None:
        progress(stage, fraction)


def _fail(run: Run, exc: Exception) -> None:
    if isinstance(exc, ValidationError | SpecError | ValueError | FileNotFoundError):
        message = str(exc.message if isinstance(exc, ValidationError) else exc)
    else:
        reference = uuid.uuid4().hex[:8]
        logger.exception("targeting run %s failed (reference %s)", run.pk, reference)
        message = _("Internal error (reference %(ref)s): %(kind)s: %(detail)s") % {
            "ref": reference,
            "kind": type(exc).__name__,
            "detail": str(exc)[:500],
        }
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error=message[:2000], finished_at=timezone.now()
    )
    _record_status(run, "targeting run failed")


def _record_status(run: Run, purpose: str) -> None:
    # Status writes use update() (no lock held while the engine runs), so reload first.
    run.refresh_from_db()
    audit.record(
        actor=None,
        action=AuditAction.UPDATE,
        obj=run,
        after={"status": run.status},
        purpose=purpose,
    )


def nation_summary(areas: pd.DataFrame, spec: Spec) -> dict[str, Any]:
    """The nation row's measures and counts, JSON-ready (for run lists and dashboards)."""
    nation = areas[areas["level"] == "nation"].reset_index(drop=True)
    if nation.empty:
        return {}
    measures = measures_frame(nation, spec, by=["level", "code"]).iloc[0]
    out: dict[str, Any] = {
        key: _plain(measures[key])
        for key in ("n", "q", "H", "A", "M0", "M1", "M2")
        if key in measures
    }
    for key in ("rows", "units_with_missing", "target_poor", *HOUSEHOLD_COUNTS):
        if key in nation:
            out[key] = _plain(nation.loc[0, key])
    ids = [ind.id for ind in spec.indicators]
    out["censored_headcount"] = {i: _plain(measures[f"h_{i}"]) for i in ids}
    out["contribution"] = {i: _plain(measures[f"contrib_{i}"]) for i in ids}
    out["poor_by_dimension"] = {d: _plain(measures[f"poor_in_{d}"]) for d in spec.dimensions}
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value
