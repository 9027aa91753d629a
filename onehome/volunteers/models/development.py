"""A household's development plan (แผนพัฒนาครอบครัว), agreed with the family. Its goals
are the case plan's goal rows (`cases.PlanGoal` with `household_plan` set): one goal model
and one set of goal services for both. Follow-ups are the visits the plan expects."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HouseholdPlan(models.Model):
    scope_field = "household__subdistrict"

    household = models.OneToOneField(
        "registry.Household", on_delete=models.PROTECT, related_name="development_plan"
    )
    agreed_on = models.DateField(_("agreed with the family on"), null=True, blank=True)
    agreed_with = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed with"),
    )
    follow_up_days = models.PositiveSmallIntegerField(_("visit every (days)"), default=30)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("household development plan")

    def __str__(self) -> str:
        return f"plan {self.household_id}"


class FollowUp(models.Model):
    """A visit the plan expects by `due_on`; done when a visit on or after its creation
    answers it (`visit`). Overdue when still open after `due_on`."""

    scope_field = "household__subdistrict"

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_on = models.DateField(_("visit due"))
    visit = models.OneToOneField(
        "volunteers.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up visit")
        indexes = [models.Index(fields=["household", "visit"])]

    def __str__(self) -> str:
        return f"{self.household_id} due {self.due_on}"
