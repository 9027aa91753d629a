"""A notification in a user's in-app inbox, with the channels that delivered it.

The table was created by the cases app (`cases_notification`) and moved here without
copying a row (migrations `cases.0005` and `notifications.0001` change only Django's state).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Which senders delivered it (e.g. ["app", "email", "sms"]).
    sent_via = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "cases_notification"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title
