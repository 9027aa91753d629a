"""Every state machine of the cases app, by model: what pages and the API ask for the steps
a user may take on a record (`WORKFLOWS[type(record)].allowed_next(record, user)`)."""

from onehome.cases.assistance.services import SERVICES
from onehome.cases.intake.triage import REPORTS
from onehome.cases.lifecycle.transitions import CASES
from onehome.cases.models import Case, PlanGoal, Referral, Report, Service
from onehome.cases.plans.services import GOALS
from onehome.cases.referrals.services import REFERRALS
from onehome.core.state_machine import Move, Workflow

WORKFLOWS: dict[type, Workflow] = {
    Case: CASES,
    Referral: REFERRALS,
    Service: SERVICES,
    PlanGoal: GOALS,
    Report: REPORTS,
}


def next_steps(record, user) -> list[Move]:
    """The steps ``user`` may take on ``record`` now, from its workflow."""
    return WORKFLOWS[type(record)].allowed_next(record, user)
