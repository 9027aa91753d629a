"""Break-the-glass grants: time-limited access to a sensitive case."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case


class GlassBreak(models.Model):
    """A time-limited grant to read a sensitive case one is not assigned to."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="glass_breaks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["case", "user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} by {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"
