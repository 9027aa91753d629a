"""The register of personal-data breaches and their notices (PDPA s.37(4))."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOTICE_HOURS = 72


class RiskLevel(models.TextChoices):
    NONE = "none", _("No risk to rights and freedoms")
    RISK = "risk", _("Risk: notify the PDPC")
    HIGH = "high", _("High risk: notify the PDPC and the people")


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Open")
    NOTIFIED = "notified", _("Notified")
    CLOSED = "closed", _("Closed")


class Breach(models.Model):
    scope_field = "subdistrict"

    discovered_at = models.DateTimeField(_("discovered at"))
    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("where (office's sub-district)"),
    )
    description = models.TextField(_("what happened"))
    records_affected = models.PositiveIntegerField(_("records affected"), default=0)
    people_affected = models.PositiveIntegerField(_("people affected"), default=0)
    risk = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    measures = models.TextField(_("measures taken"), blank=True)
    notified_pdpc_at = models.DateTimeField(_("PDPC notified at"), null=True, blank=True)
    notified_subjects_at = models.DateTimeField(_("people notified at"), null=True, blank=True)
    late_reason = models.CharField(_("reason for a late notice"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BreachStatus.choices, default=BreachStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-discovered_at", "-id"]
        verbose_name = _("personal-data breach")

    def __str__(self) -> str:
        return f"breach {self.pk} {self.discovered_at:%Y-%m-%d}"

    @property
    def notice_due_at(self) -> dt.datetime:
        """72 hours from discovery (s.37(4)): clock hours, not working hours."""
        return self.discovered_at + dt.timedelta(hours=NOTICE_HOURS)

    @property
    def needs_pdpc_notice(self) -> bool:
        return self.risk != RiskLevel.NONE

    @property
    def notice_overdue(self) -> bool:
        """The PDPC was not notified within 72 hours (or still is not, past them)."""
        if not self.needs_pdpc_notice:
            return False
        notified = self.notified_pdpc_at or timezone.now()
        return notified > self.notice_due_at
