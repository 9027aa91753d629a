"""The unread count beside the notifications link of the page shell."""

from django import template

from onehome.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return unread_count(user)
