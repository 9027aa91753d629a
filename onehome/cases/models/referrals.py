"""Closed-loop referrals of a case between agencies."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DELIVERED = "delivered", _("Delivered")
    OUTCOME_REPORTED = "outcome_reported", _("Outcome reported")


class Referral(models.Model):
    """A closed-loop referral: sent with a need, accepted or declined with a reason,
    delivered, and its outcome reported back to the sender."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    need = models.TextField(_("what is needed"))
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_reason = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["to_org", "status"]),
            models.Index(fields=["from_org", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_org_id} → {self.to_org_id} ({self.status})"
