"""A finished targeting run whose target list has five households in ตำบลเวียง (570101):
T1, T2, T3 in village 57010101 and T4, T5 in village 57010102, each with one member on
the welfare-card list and an income under the line; plus TB in Bangkok. Built through the
real imports and run (`targeting.tests.finished`), like the targeting tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from onehome.targeting.imports.survey_rounds import import_survey_round
from onehome.targeting.models import Run, RunStatus
from onehome.targeting.runs.execution import execute_run
from onehome.targeting.runs.services import start_run
from onehome.targeting.tests.finished import person, thai_id, welfare_list
from onehome.volunteers.tests.factories import WIANG, make_village

HOUSEHOLDS = {
    "T1": "57010101",
    "T2": "57010101",
    "T3": "57010101",
    "T4": "57010102",
    "T5": "57010102",
    "TB": "10010101",
}
KEYS = {h: thai_id(f"35701019{n:04d}") for n, h in enumerate(HOUSEHOLDS, start=1)}


def target_run(tmp: Path, *, households: dict[str, str] | None = None, year: int = 2024) -> Run:
    households = households or HOUSEHOLDS
    frame = pd.DataFrame(
        [
            person(h, village, KEYS.get(h) or thai_id(f"35701018{i:04d}"), 45, "female",
                   bmn22_income_per_person=10_000.0)
            for i, (h, village) in enumerate(households.items())
        ]
    )  # fmt: skip
    source = tmp / f"assign-round-{year}-{len(households)}.parquet"
    frame.to_parquet(source, index=False)
    survey_round = import_survey_round(
        actor=None, path=source, year=year, name=f"assign {year} {len(households)}"
    )
    keys = [KEYS.get(h) or thai_id(f"35701018{i:04d}") for i, h in enumerate(households)]
    welfare = welfare_list(tmp, keys, year=year)
    run = start_run(actor=None, survey_round=survey_round, welfare_list=welfare, background=False)
    run = execute_run(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.error
    return run


@pytest.fixture
def wiang_villages(db):
    """Villages 1 and 2 of ตำบลเวียง (the target list's)."""
    return make_village(WIANG, 1), make_village(WIANG, 2)


@pytest.fixture
def target_list(wiang_villages, settings, tmp_path) -> Run:
    """The run above under a temporary data directory (the villages first: the import
    checks them)."""
    settings.ONEHOME_DATA_DIR = tmp_path / "data"
    return target_run(tmp_path)
