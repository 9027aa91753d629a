"""A registry household in the survey: which survey household it is in a round, and
whether a finished run of that round found it poor, and in which indicators.

`targeting.results.registry_links` answers the other way (survey → registry); this reads
the same evidence backwards, in the same order of trust: a link recorded when a target
household was registered (the audit log's `targeting.householdlink`), the house
registration number (an 11-digit survey household id), then the survey households where
the household's members' national IDs were counted. A candidate counts only if the round
surveyed it.

Survey rows are personal data: callers have resolved the household in the user's scope
(`household_for_work_or_404`) before asking, and `audit_survey_read` records the read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from onehome.access import audit
from onehome.access.models import AuditAction, AuditEvent, User
from onehome.registry.models import Household, Membership
from onehome.targeting.catalogue_files import indicator_labels, run_spec
from onehome.targeting.models import Run, RunStatus, SurveyRound
from onehome.targeting.results.registry_links import LINK_TYPE

# How many finished runs, newest first, are tried for the household's latest standing.
RUNS_TRIED = 5


@dataclass
class Standing:
    """The household in one run: surveyed at all, poor, and the indicators it failed."""

    run: Run
    survey_household_id: str | None
    poor: bool = False
    # (indicator id, label, dimension) for every indicator some member failed.
    indicators: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def surveyed(self) -> bool:
        return self.survey_household_id is not None


def _candidates(household: Household) -> list[str]:
    linked = (
        AuditEvent.objects.filter(object_type=LINK_TYPE, household_id=household.pk)
        .order_by("-at", "-id")
        .values_list("object_id", flat=True)
    )
    ids = [object_id.split("/", 1)[-1] for object_id in linked]
    number = household.registration_no
    if len(number) == 11 and number.isdigit():
        ids.append(number)
    return list(dict.fromkeys(ids))


def _member_ids(household: Household) -> list[str]:
    return [
        n
        for n in Membership.objects.filter(
            household=household, end_date__isnull=True, person__merged_into__isnull=True
        ).values_list("person__id_number", flat=True)
        if n
    ]


def survey_household_id(household: Household, survey_round: SurveyRound) -> str | None:
    """The survey household of ``household`` in the round, or None when it was not found."""
    path = str(survey_round.path)
    candidates = _candidates(household)
    with duckdb.connect() as con:
        if candidates:
            found = {
                str(r[0])
                for r in con.execute(
                    "SELECT DISTINCT CAST(household_id AS VARCHAR) FROM read_parquet(?) "
                    "WHERE list_contains(?, CAST(household_id AS VARCHAR))",
                    [path, candidates],
                ).fetchall()
            }
            for candidate in candidates:
                if candidate in found:
                    return candidate
        keys = _member_ids(household)
        if not keys:
            return None
        # A prefixed key ("card:0123…") carries the document number after the prefix.
        rows = con.execute(
            "SELECT CAST(household_id AS VARCHAR), count(*) AS n FROM read_parquet(?) "
            "WHERE list_contains(?, regexp_replace(CAST(person_key AS VARCHAR), '^.*:', '')) "
            "GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1",
            [path, keys],
        ).fetchall()
    return str(rows[0][0]) if rows else None


def standing_in_run(household: Household, run: Run) -> Standing:
    """Whether the run's round surveyed the household, and whether the run found it poor."""
    hh = survey_household_id(household, run.survey_round)
    standing = Standing(run=run, survey_household_id=hh)
    if hh is None or run.result_path is None:
        return standing
    with duckdb.connect() as con:
        row = con.execute(
            "SELECT deprived FROM read_parquet(?) WHERE CAST(household_id AS VARCHAR) = ?",
            [str(run.result_path / "households.parquet"), hh],
        ).fetchone()
    if row is None:
        return standing  # surveyed and not poor: the file lists poor households only
    standing.poor = True
    spec = run_spec(run)
    labels = indicator_labels(run.spec_name)
    mask = _mask(row[0], [ind.id for ind in spec.indicators])
    standing.indicators = [
        (ind.id, labels.get(ind.id, ind.id), ind.dimension)
        for j, ind in enumerate(spec.indicators)
        if mask >> j & 1
    ]
    return standing


def _mask(value: object, ids: list[str]) -> int:
    """The deprivations as a bitmask (a run stores a bitmask or, from a list, ids)."""
    if isinstance(value, str) and not value.isdigit():
        failed = set(value.split(","))
        return sum(1 << j for j, i in enumerate(ids) if i in failed)
    return int(value or 0)


def finished_runs(survey_round: SurveyRound | None = None):
    runs = Run.objects.filter(status=RunStatus.DONE).exclude(result_dir="")
    if survey_round is not None:
        runs = runs.filter(survey_round=survey_round)
    return runs.select_related("survey_round").order_by(
        "-survey_round__year", "-finished_at", "-pk"
    )


def latest_standing(household: Household) -> Standing | None:
    """The household in the newest finished run whose round surveyed it, or None."""
    for run in finished_runs()[:RUNS_TRIED]:
        standing = standing_in_run(household, run)
        if standing.surveyed:
            return standing
    return None


def audit_survey_read(user: User, household: Household, standing: Standing, purpose: str) -> None:
    audit.record(
        actor=user,
        action=AuditAction.READ,
        object_type="targeting.surveyhousehold",
        object_id=f"{standing.run.survey_round_id}/{standing.survey_household_id}"[:64],
        household_id=household.pk,
        subdistrict_code=household.subdistrict_id,
        purpose=purpose,
    )
