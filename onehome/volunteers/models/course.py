"""A household's course in the project (โครงการพัฒนาคุณภาพชีวิตกลุ่มเปราะบางรายครัวเรือน):
enrolled → plan agreed → in progress → graduated (out of poverty) or left for another
reason. Graduation names its evidence: the next survey round, or a recorded assessment."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CourseStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    PLAN_AGREED = "plan_agreed", _("Plan agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    GRADUATED = "graduated", _("Out of poverty")
    LEFT = "left", _("Left the project")


class GraduationEvidence(models.TextChoices):
    SURVEY_ROUND = "survey_round", _("The next survey round")
    ASSESSMENT = "assessment", _("A recorded assessment")


class Enrollment(models.Model):
    scope_field = "household__subdistrict"

    household = models.OneToOneField(
        "registry.Household", on_delete=models.PROTECT, related_name="enrollment"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CourseStatus.choices, default="enrolled"
    )
    enrolled_on = models.DateField(_("enrolled on"))
    # The targeting run whose target list brought the household in, when one did.
    run = models.ForeignKey(
        "targeting.Run", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan_agreed_on = models.DateField(null=True, blank=True)
    graduated_on = models.DateField(null=True, blank=True)
    evidence = models.CharField(max_length=16, choices=GraduationEvidence.choices, blank=True)
    evidence_round = models.ForeignKey(
        "targeting.SurveyRound", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    left_on = models.DateField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["household"]
        verbose_name = _("household in the project")
        indexes = [models.Index(fields=["status", "enrolled_on"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.status}"
