"""Status labels for the case pages (which links a user gets: the role table, `access`)."""

from django import template

from onehome.cases.lifecycle.transitions import status_label

register = template.Library()


@register.filter
def case_status(code: str) -> str:
    """A case status code as its label in the active language (timeline lines)."""
    return status_label(code) if code else "–"
