"""Small display helpers shared by the page templates."""

from django import template

from onehome.web.navigation import menu_for

register = template.Library()


@register.filter
def mask_id(number: str | None) -> str:
    """An identity number with all but the last 4 characters hidden."""
    if not number:
        return ""
    visible = number[-4:]
    return "•" * max(len(number) - 4, 0) + visible


@register.simple_tag(takes_context=True)
def main_menu(context) -> list:
    """The page shell's menu for this user on this page (`web/navigation.py`)."""
    request = context.get("request")
    if request is None:
        return []
    return menu_for(request.user, getattr(request, "resolver_match", None))
