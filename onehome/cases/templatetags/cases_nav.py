"""Status labels and step buttons for the case pages (which links a user gets: the role
table, `{% load access %}`)."""

from django import template

from onehome.cases import workflows
from onehome.cases.lifecycle.transitions import status_label

register = template.Library()


@register.filter
def case_status(code: str) -> str:
    """A case status code as its label in the active language (timeline lines)."""
    return status_label(code) if code else "–"


@register.simple_tag
def next_steps(record, user) -> list:
    """The steps ``user`` may take on ``record`` now, from its workflow: buttons are drawn
    from this, never from the record's status."""
    return workflows.next_steps(record, user)
