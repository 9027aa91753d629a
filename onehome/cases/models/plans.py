"""Needs assessments in the five dimensions and the case plan's goals."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case


class Dimension(models.TextChoices):
    """The five dimensions (GLOSSARY.md), shared with targeting and household plans."""

    HEALTH = "health", _("Health")
    LIVING = "living", _("Living conditions")
    EDUCATION = "education", _("Education")
    INCOME = "income", _("Income")
    ACCESS = "access", _("Access to public services")


class Assessment(models.Model):
    """A needs assessment in the five dimensions plus protection risks.
    `dimensions` maps each dimension to {"level": 0-3, "note": str} (0 no need, 3 severe)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_at = models.DateTimeField(default=timezone.now)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dimensions = models.JSONField(default=dict)
    protection_risks = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.assessed_at:%Y-%m-%d}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanGoal(models.Model):
    """One line of a plan: a goal in a dimension, the action, who helps, by when, how far.

    The one goal model of both plans: a case plan's goal has `case`, a household
    development plan's (`volunteers.HouseholdPlan`) has `household_plan`; exactly one is
    set. Who helps is an agency or partner (`agency`), a volunteer, or both."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="plan"
    )
    household_plan = models.ForeignKey(
        "volunteers.HouseholdPlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goals",
    )
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    goal = models.CharField(_("goal"), max_length=300)
    action = models.CharField(_("action"), max_length=300)
    agency = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_goals",
        verbose_name=_("volunteer"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, household_plan__isnull=True)
                | models.Q(case__isnull=True, household_plan__isnull=False),
                name="plan_goal_of_one_plan",
            ),
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(volunteer__isnull=False),
                name="plan_goal_has_a_helper",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="plan_goal_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.goal}"
