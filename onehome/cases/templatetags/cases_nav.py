"""Status labels for the case pages (which links a user gets: the role table, `access`)."""

from django import template

from onehome.cases.assistance.services import SERVICES
from onehome.cases.intake.triage import REPORTS
from onehome.cases.lifecycle.transitions import CASES, status_label
from onehome.cases.models import Case, PlanGoal, Referral, Report, Service
from onehome.cases.plans.services import GOALS
from onehome.cases.referrals.services import REFERRALS

register = template.Library()


@register.filter
def case_status(code: str) -> str:
    """A case status code as its label in the active language (timeline lines)."""
    return status_label(code) if code else "–"


WORKFLOWS = {Case: CASES, Referral: REFERRALS, Service: SERVICES, PlanGoal: GOALS, Report: REPORTS}


@register.simple_tag
def next_steps(record, user) -> list:
    """The steps ``user`` may take on ``record`` now, from its workflow: buttons are drawn
    from this, never from the record's status."""
    return WORKFLOWS[type(record)].allowed_next(record, user)
