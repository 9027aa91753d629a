"""Small, valid survey rounds and welfare-card lists for the import and run tests."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import ibis
import pandas as pd
from stdnum.th import pin

from onehome.targeting.catalogue_files import catalogue
from onehome.targeting.engine.run_ready_columns import answer_columns, packed_answers_sql
from onehome.targeting.imports.survey_rounds import column_kinds

# 57010101 is registered in the test geography (so 570101 checks villages against the
# registry); 570102 and 570103 have no villages registered, so any 01-99 is accepted.
VILLAGES = ("57010101", "57010201", "57010305")
_ids = itertools.count(310060044560)


def thai_id() -> str:
    body = str(next(_ids))
    return body + pin.calc_check_digit(body)


def tpmap_people(households: int = 30, *, seed: int = 1) -> pd.DataFrame:
    """People of ``households`` households with every TPMAP 2018 column, some deprived."""
    rng = random.Random(seed)
    kinds = column_kinds(catalogue("tpmap_2018"))
    rows = []
    for h in range(households):
        village = VILLAGES[h % len(VILLAGES)]
        household = {c: rng.random() > 0.15 for c, kind in kinds.items() if kind == "boolean"}
        income = float(rng.choice([12000, 30000, 45000, 90000]))
        for m in range(rng.randint(1, 5)):
            person = dict(household)
            # Person-level columns vary by member; household ones repeat on every row.
            for column in ("bmn07_exercises", "bmn19_literate_numerate", "bmn20_has_occupation"):
                person[column] = rng.random() > 0.2
            key = thai_id() if m != 2 else f"survey:HH{h}-{m}"
            rows.append(
                {
                    "household_id": f"HH{h:05d}",
                    "village_code": village,
                    "person_key": key,
                    "age": rng.randint(0, 90),
                    "sex": rng.choice(["male", "female"]),
                    **person,
                    "bmn22_income_per_person": income,
                }
            )
    return pd.DataFrame(rows)


def write(frame: pd.DataFrame, path: Path) -> Path:
    """CSV or Parquet by suffix; CSV booleans are written as true/false."""
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def packed_answers_of(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The packed answer columns, computed by the same SQL as the import's."""
    con = ibis.duckdb.connect()
    table = con.create_table("answers", ibis.memtable(frame))
    order = answer_columns((n, t.is_boolean()) for n, t in table.schema().items())
    items = packed_answers_sql([f'"{name}"' for name in order])
    if not items:
        return {}
    select = f"SELECT {', '.join(items)} FROM answers"  # noqa: S608 - our column names
    packed = con.sql(select).to_pandas()
    return {name: packed[name].set_axis(frame.index) for name in packed.columns}
