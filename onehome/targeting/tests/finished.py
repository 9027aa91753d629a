"""A finished run for the page, API, explanation, target-list and year-over-year tests.

The round and the list go through the real imports and the run through the task's body
(`runs.execute_run`, synchronously), so the tests read what production reads.
Households (all in Chiang Rai unless noted):

- H1 (57010101): member 1 aged 70, not cared for (bmn27) and on the welfare list;
  member 2 aged 35 without an occupation (bmn20); income 20,000 (bmn22) → target poor.
- H2 (57010101): meets everything, income 90,000 → not poor.
- H3 (57010101): one person aged 40 with no document key, income 25,000 → poor, not target.
- HB (10010101, Bangkok): income 10,000, on the list → target poor.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from stdnum.th import pin

from onehome.targeting.catalogue_files import catalogue
from onehome.targeting.imports.survey_rounds import column_kinds, import_survey_round
from onehome.targeting.imports.welfare_lists import import_welfare_list
from onehome.targeting.models import Run, RunStatus, WelfareCardList
from onehome.targeting.runs.execution import execute_run
from onehome.targeting.runs.services import start_run


def thai_id(body: str) -> str:
    return body + pin.calc_check_digit(body)


KEY_H1_ELDER = thai_id("357010100001")
KEY_H1_ADULT = thai_id("357010100002")
KEY_H2 = thai_id("357010100003")
KEY_BKK = thai_id("310010100004")


def person(household: str, village: str, key: str, age: int, sex: str, **values) -> dict:
    kinds = column_kinds(catalogue("tpmap_2018"))
    row = {c: True for c, kind in kinds.items() if kind == "boolean"}
    row.update(household_id=household, village_code=village, person_key=key, age=age, sex=sex)
    row["bmn22_income_per_person"] = 90_000.0
    row.update(values)
    return row


def people(*, h3_income: float = 25_000.0, h2_income: float = 90_000.0) -> pd.DataFrame:
    return pd.DataFrame(
        [
            person("H1", "57010101", KEY_H1_ELDER, 70, "female",
                   bmn27_elderly_cared_for=False, bmn22_income_per_person=20_000.0),
            person("H1", "57010101", KEY_H1_ADULT, 35, "male",
                   bmn20_has_occupation=False, bmn22_income_per_person=20_000.0),
            person("H2", "57010101", KEY_H2, 50, "male", bmn22_income_per_person=h2_income),
            person("H3", "57010101", "survey:H3-1", 40, "female",
                   bmn22_income_per_person=h3_income),
            person("HB", "10010101", KEY_BKK, 66, "male", bmn22_income_per_person=10_000.0),
        ]
    )  # fmt: skip


def finished_run(
    tmp: Path, *, year: int = 2024, frame: pd.DataFrame | None = None, name: str = ""
) -> Run:
    source = tmp / f"round-{year}-{name}.parquet"
    (people() if frame is None else frame).to_parquet(source, index=False)
    survey_round = import_survey_round(
        actor=None, path=source, year=year, name=name or f"test {year}"
    )
    welfare = welfare_list(tmp, [KEY_H1_ELDER, KEY_BKK], year=year)
    run = start_run(actor=None, survey_round=survey_round, welfare_list=welfare, background=False)
    run = execute_run(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.error
    return run


def welfare_list(tmp: Path, ids: list[str], *, year: int) -> WelfareCardList:
    path = tmp / f"welfare-{year}.csv"
    # Someone outside the survey, different each year: the same file is not imported twice.
    pd.DataFrame({"national_id": [*ids, thai_id(f"3999999{year}0")]}).to_csv(path, index=False)
    return import_welfare_list(actor=None, path=path, as_of=dt.date(year, 1, 1), name="test")
