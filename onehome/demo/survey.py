"""The demo's จปฐ. survey: two rounds of the demo province whose households and people ARE
the registry's, a welfare-card list, and a finished targeting run of each round.

Household ids are the registry Household's primary key and person keys are the people's
document numbers, so the target list links straight to registry households and the
household explanation links to the household page. Indicator values are drawn from a
per-household hardship level (most households meet every criterion; a few struggle with
several), so the pages show plausible shares: roughly one household in five poor under
TPMAP's union rule, income and living conditions the commonest deprivations. The earlier
round redraws about one household in six, so the year-over-year page has households that
entered and left poverty.

Files go through the targeting import functions (validation, registration in the
database) and the runs are executed synchronously, not queued.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pandas as pd
from django.db.models import Prefetch
from django.utils import timezone
from stdnum.th import pin
from tqdm import tqdm

from onehome.errors import DuplicateError
from onehome.registry.models import Household, Membership, Sex
from onehome.targeting.imports.survey_rounds import import_survey_round
from onehome.targeting.imports.welfare_lists import import_welfare_list
from onehome.targeting.models import Run, RunStatus, SurveyRound, WelfareCardList
from onehome.targeting.runs.execution import execute_run
from onehome.targeting.runs.services import start_run

SEED = 5757
CATALOGUE = "tpmap_2018"
# (share of households, probability of failing each applicable criterion, median income)
HARDSHIP = ((0.72, 0.004, 95_000), (0.20, 0.03, 55_000), (0.08, 0.16, 30_000))
WELFARE_SHARE = 0.40  # of the poorer adults (household income below 60,000 baht a person)

Progress = Callable[[int], None]


@dataclass
class SurveyData:
    people: pd.DataFrame
    welfare_ids: list[str]


def _level(rng: random.Random) -> int:
    draw, total = rng.random(), 0.0
    for level, (share, _fail, _income) in enumerate(HARDSHIP):
        total += share
        if draw < total:
            return level
    return len(HARDSHIP) - 1


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def survey_people(
    *, province: str, year: int, seed: int = SEED, progress: Progress | None = None
) -> pd.DataFrame:
    """One row per current member of every household of the province with a village."""
    rng = random.Random(seed)
    on = dt.date(year, 7, 1)
    households = (
        Household.objects.filter(subdistrict__province_id=province, village__isnull=False)
        .order_by("pk")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(end_date__isnull=True)
                .select_related("person")
                .order_by("start_date", "pk"),
            )
        )
    )
    rows: list[dict] = []
    for household in households.iterator(chunk_size=2000):
        members = sorted(
            household.memberships.all(), key=lambda m: (m.relationship != "head", m.pk)
        )
        if members:
            rows += _household_rows(rng, household, members, on)
        if progress:
            progress(1)
    return pd.DataFrame(rows)


def _household_rows(rng: random.Random, household, members, on: dt.date) -> list[dict]:
    level = _level(rng)
    _share, fail, median = HARDSHIP[level]

    def meets() -> bool:
        return rng.random() >= fail

    income = round(median * rng.lognormvariate(0, 0.35), -2)
    shared = {
        "household_id": str(household.pk),
        "village_code": household.village_id,
        "bmn04_safe_food": meets(),
        "bmn05_medicine_use_ok": meets(),
        "bmn08_secure_housing": rng.random() >= fail * 1.5,
        "bmn09_drinking_water_ok": meets(),
        "bmn10_water_use_ok": meets(),
        "bmn11_home_hygienic": meets(),
        "bmn22_income_per_person": float(income),
    }
    rows = []
    for m in members:
        person = m.person
        age = _age(person.birth_date, on)
        if age is not None and age < 0:  # born after the survey
            continue
        sex = {Sex.FEMALE: "female", Sex.MALE: "male"}.get(person.sex, "unknown")
        rows.append(
            {
                **shared,
                "person_key": person_key(person),
                "age": age,
                "sex": sex,
                "bmn01_newborn_weight_ok": meets(),
                "bmn07_exercises": rng.random() >= fail * 2,
                "bmn15_preschool_care": meets(),
                "bmn16_compulsory_schooling": meets(),
                "bmn17_continues_upper_secondary": rng.random() >= fail * 2,
                "bmn19_literate_numerate": meets(),
                "bmn20_has_occupation": meets(),
                "bmn21_has_occupation": rng.random() >= fail * 3,
                "bmn27_elderly_cared_for": meets(),
                # "Not applicable" is coded as meeting the criterion.
                "bmn28_disabled_cared_for": not person.disability or meets(),
            }
        )
    return rows


def person_key(person) -> str:
    """The survey's person key: the national ID when it is a Thai one; otherwise the
    survey's prefixed form ("card:…" for non-Thai ID cards, "person:…" without one)."""
    number = person.id_number or ""
    if len(number) == 13 and number.isdigit() and number[0] not in "09":
        return number
    if number:
        return f"card:{number}"
    return f"person:{person.pk}"


def earlier_round(people: pd.DataFrame, *, seed: int = SEED + 1) -> pd.DataFrame:
    """The year before: the same people a year younger, about one household in six with
    its situation redrawn (so some were poor then and are not now, and the reverse)."""
    rng = random.Random(seed)
    earlier = people.copy()
    earlier["age"] = (earlier["age"] - 1).clip(lower=0)
    redrawn = [hh for hh in earlier["household_id"].unique() if rng.random() < 1 / 6]
    flags = [c for c in earlier.columns if c.startswith("bmn") and earlier[c].dtype == bool]
    picked = earlier["household_id"].isin(redrawn)
    for column in flags:
        # Met now but failed a year ago (0.8%), or failed now but met a year ago (half):
        # households both enter and leave poverty between the rounds.
        draws = pd.Series([rng.random() for _ in range(len(earlier))], index=earlier.index)
        meets = earlier[column].astype(bool)
        flip = picked & ((meets & (draws < 0.008)) | (~meets & (draws < 0.5)))
        earlier.loc[flip, column] = ~meets[flip]
    factor = pd.Series([rng.uniform(0.6, 1.5) for _ in range(len(earlier))], index=earlier.index)
    by_household = factor.groupby(earlier["household_id"]).transform("first")
    earlier.loc[picked, "bmn22_income_per_person"] = (
        earlier.loc[picked, "bmn22_income_per_person"] * by_household[picked]
    ).round(-2)
    return earlier


def welfare_ids(people: pd.DataFrame, *, seed: int = SEED) -> list[str]:
    """About 40% of the adults of the poorer households, plus a few people outside the
    province (the list is national)."""
    rng = random.Random(seed)
    poorer = people[(people["age"] >= 18) & (people["bmn22_income_per_person"] < 60_000)]
    keys = sorted({str(k) for k in poorer["person_key"].dropna() if pin.is_valid(str(k))})
    chosen = [k for k in keys if rng.random() < WELFARE_SHARE]
    return chosen


@dataclass
class SurveyResult:
    rounds: list[SurveyRound]
    welfare_list: WelfareCardList | None
    runs: list[Run]
    skipped: bool = False


def _once(importer, **kwargs):
    """Import, or take the file imported before (same content: same checksum)."""
    try:
        return importer(**kwargs)
    except DuplicateError as exc:
        return exc.existing


def round_name(province: str, year: int) -> str:
    return f"จปฐ. {year + 543} ({province}, demo)"


def build_survey(
    *, province: str, progress: bool = True, stdout: TextIO | None = None, force: bool = False
) -> SurveyResult:
    """Import the two demo rounds and the list and run both; skipped when the demo rounds
    already exist (unless ``force``, e.g. after the people were rebuilt)."""
    out = stdout or sys.stdout
    year = timezone.localdate().year - 1  # the latest complete survey year
    names = [round_name(province, year - 1), round_name(province, year)]
    existing = list(SurveyRound.objects.filter(name__in=names))
    if existing and not force:
        out.write("Survey rounds already loaded: survey phase skipped.\n")
        return SurveyResult(existing, None, [], skipped=True)
    n_households = Household.objects.filter(subdistrict__province_id=province).count()
    with tqdm(total=n_households, desc="survey", unit="household", disable=not progress) as bar:
        later = survey_people(province=province, year=year, progress=bar.update)
    if later.empty:
        out.write("No households: survey phase skipped.\n")
        return SurveyResult([], None, [], skipped=True)
    earlier = earlier_round(later)
    folder = Path(tempfile.mkdtemp(prefix="onehome-demo-survey-"))
    try:
        rounds = []
        for frame, y in ((earlier, year - 1), (later, year)):
            path = folder / f"survey-{y}.parquet"
            frame.to_parquet(path, index=False)
            rounds.append(
                _once(
                    import_survey_round, actor=None, path=path, year=y,
                    name=round_name(province, y), catalogue_name=CATALOGUE, province=province,
                )
            )  # fmt: skip
        ids = welfare_ids(later)
        path = folder / "welfare.csv"
        pd.DataFrame({"national_id": ids}).to_csv(path, index=False)
        as_of = min(dt.date(year, 12, 31), timezone.localdate())
        card_list = _once(
            import_welfare_list,
            actor=None,
            path=path,
            as_of=as_of,
            name=f"บัตรสวัสดิการแห่งรัฐ {as_of.year + 543}",
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    runs = []
    for survey_round in rounds:
        run = start_run(
            actor=None, survey_round=survey_round, welfare_list=card_list, background=False
        )
        with tqdm(total=100, desc=f"run {survey_round.year}", disable=not progress) as bar:

            def report(stage: str, fraction: float, bar=bar) -> None:
                bar.update(max(0, round(fraction * 100) - bar.n))

            runs.append(execute_run(run_id=run.pk, progress=report))
    for run in runs:
        if run.status != RunStatus.DONE:
            raise RuntimeError(f"demo targeting run {run.pk} failed: {run.error}")
    summary = runs[-1].summary or {}
    out.write(
        f"Survey: {len(later):,} people in {later['household_id'].nunique():,} households "
        f"({year + 543}, and {year + 542}); welfare-card list {len(ids):,} IDs; "
        f"runs {', '.join(str(r.pk) for r in runs)} done"
        + (f" (H = {summary['H']:.3f})" if summary.get("H") is not None else "")
        + "\n"
    )
    return SurveyResult(rounds, card_list, runs)
