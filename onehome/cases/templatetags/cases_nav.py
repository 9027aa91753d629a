"""Navigation helpers for the case pages: which links a user gets, and status labels."""

from django import template

from onehome.cases.intake.services import INTAKE_ROLES
from onehome.cases.lifecycle.transitions import status_label
from onehome.cases.visibility.selectors import can_work_on

register = template.Library()


@register.filter
def works_on_cases(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and can_work_on(user)


@register.filter
def takes_reports(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*INTAKE_ROLES)


@register.filter
def case_status(code: str) -> str:
    """A case status code as its label in the active language (timeline lines)."""
    return status_label(code) if code else "–"
