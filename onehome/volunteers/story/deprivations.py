"""What targeting found for a registry household: its row in a finished run's household
results (poor, target, score, the indicators failed), for the story page and API.

Read from the run's own `households.parquet` (one row, the run's verdict as it was made):
re-running the engine's per-member explanation (`targeting.results.explanations`) costs
seconds a page, and the explanation page, linked from the story, already shows it member
by member. The survey household is found by `selectors.survey_household_id`, the reverse
of `registry_links`. Survey results are personal data: the user's survey scope applies
(else nothing is shown) and the read is audited like the explanation's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.errors import NotInScopeError
from onehome.targeting.catalogue_files import indicator_labels, run_spec
from onehome.targeting.models import Run
from onehome.targeting.results import selectors as results


@dataclass
class Failed:
    indicator: str
    label: str
    dimension: str


@dataclass
class Finding:
    run_id: int
    household_id: str  # the survey household
    village_code: str
    poor: bool
    target: bool
    score: float
    members: int
    poor_members: int
    failures: list[Failed] = field(default_factory=list)

    @property
    def dimensions(self) -> list[str]:
        return list(dict.fromkeys(f.dimension for f in self.failures))


def run_finding(
    *,
    user: User,
    run: Run,
    survey_household: str,
    village_code: str,
    surveyed: int,
    registry_household: int,
    purpose: str,
) -> Finding | None:
    """The run's verdict on ``survey_household`` of ``village_code`` (surveyed with
    ``surveyed`` people): the run keeps rows of poor households only, so a household
    without one was found not poor. None when the household lies outside the user's
    survey scope. Audited."""
    try:
        scope = results.household_scope(user)
    except NotInScopeError:
        return None
    sql = (
        "SELECT village_code, members, poor_members, target_members, score, deprived "
        "FROM read_parquet(?) WHERE CAST(household_id AS VARCHAR) = ?"
    )
    if not scope.allows(village_code):
        return None
    with duckdb.connect() as con:
        row = con.execute(
            sql, [str(run.result_path / "households.parquet"), survey_household]
        ).fetchone()
    village, members, poor, target, score, mask = row or (village_code, surveyed, 0, 0, 0, 0)
    spec = run_spec(run)
    labels = indicator_labels(run.spec_name)
    mask = int(mask or 0)
    failures = [
        Failed(ind.id, labels.get(ind.id) or ind.id, ind.dimension)
        for j, ind in enumerate(spec.indicators)
        if mask >> j & 1
    ]
    audit.record(
        actor=user,
        action=AuditAction.READ,
        object_type="targeting.surveyhousehold",
        object_id=f"{run.survey_round_id}/{survey_household}"[:64],
        household_id=registry_household,
        subdistrict_code=str(village)[:6],
        purpose=purpose,
    )
    return Finding(
        run_id=run.pk,
        household_id=survey_household,
        village_code=str(village),
        poor=int(poor or 0) > 0,
        target=int(target or 0) > 0,
        score=round(float(score or 0), 4),
        members=int(members or 0),
        poor_members=int(poor or 0),
        failures=failures,
    )
