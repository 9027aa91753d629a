"""Navigation helpers for the case pages: which links a user gets, and their unread count."""

from django import template

register = template.Library()


@register.filter
def works_on_cases(user) -> bool:
    from onehome.cases.visibility import can_work_on

    return bool(getattr(user, "is_authenticated", False)) and can_work_on(user)


@register.filter
def takes_reports(user) -> bool:
    from onehome.cases.intake import INTAKE_ROLES

    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*INTAKE_ROLES)


@register.simple_tag
def unread_notifications(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    from onehome.cases.notify import unread_count

    return unread_count(user)


@register.filter
def case_status(code: str) -> str:
    """A case status code as its label in the active language (timeline lines)."""
    from onehome.cases.lifecycle import status_label

    return status_label(code) if code else "–"
