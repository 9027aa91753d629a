"""Reads of a user's own notifications: the inbox and its unread count."""

from django.db.models import QuerySet

from onehome.access.models import User

from .models import Notification


def inbox(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
