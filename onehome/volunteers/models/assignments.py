"""Households given to volunteers. One open assignment per household; reassigning ends
the open one and starts another, so the history of who followed a household stays."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roster import Volunteer


class AssignmentSource(models.TextChoices):
    TARGET_LIST = "target_list", _("Target list")
    CASE = "case", _("Case")
    ONE_BY_ONE = "one_by_one", _("One by one")


class Assignment(models.Model):
    scope_field = "household__subdistrict"

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="volunteer_assignments"
    )
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="assignments")
    source = models.CharField(_("source"), max_length=16, choices=AssignmentSource.choices)
    run = models.ForeignKey(
        "targeting.Run", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("since"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["household", "-started_at", "-id"]
        verbose_name = _("volunteer assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(ended_at__isnull=True),
                name="one_open_assignment_per_household",
            )
        ]
        indexes = [models.Index(fields=["volunteer", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.household_id} → {self.volunteer_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
