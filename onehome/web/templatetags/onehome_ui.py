"""Small display helpers shared by the page templates."""

from django import template

register = template.Library()


@register.filter
def mask_id(number: str | None) -> str:
    """An identity number with all but the last 4 characters hidden."""
    if not number:
        return ""
    visible = number[-4:]
    return "•" * max(len(number) - 4, 0) + visible
