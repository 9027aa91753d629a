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


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """`{{ mapping|get_item:key }}` for dictionaries keyed by variables."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def can_write_registry(user) -> bool:
    from onehome.access.models import REGISTRY_WRITE_ROLES

    return bool(getattr(user, "is_authenticated", False) and user.has_role(*REGISTRY_WRITE_ROLES))


@register.filter
def can_merge(user) -> bool:
    from onehome.access.models import MERGE_ROLES

    return bool(getattr(user, "is_authenticated", False) and user.has_role(*MERGE_ROLES))


@register.filter
def can_read_audit(user) -> bool:
    from onehome.access.selectors import can_read_audit as allowed

    return allowed(user)
