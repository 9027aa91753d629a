"""`{% if user|may:"approve_cash_aid" %}`: templates and the menu ask the role table."""

from django import template

from onehome.access.roles import may as _may

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    return _may(user, action)
