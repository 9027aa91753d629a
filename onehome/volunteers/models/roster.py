"""Volunteer records (อพม.): the person, their appointment and term, area, centre and
club, their status, trainings and recognition. A volunteer's login is tied to the record
(`Volunteer.user`); centre staff and the provincial office keep the records of their area."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.geo.models import Subdistrict, Village


class VolunteerStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    TRAINED = "trained", _("Trained")
    APPOINTED = "appointed", _("Appointed")
    ACTIVE = "active", _("Active")
    RESTING = "resting", _("Resting")
    LEFT = "left", _("Left")


# Statuses in which a volunteer may be given households and record visits.
WORKING = frozenset({VolunteerStatus.APPOINTED, VolunteerStatus.ACTIVE})


class VolunteerClub(models.Model):
    """ชมรม อพม.: the volunteers' own club, usually one per district or sub-district."""

    scope_field = "subdistrict"

    name = models.CharField(_("club name"), max_length=200)
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="+", verbose_name=_("sub-district")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("volunteer club")

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    scope_field = "subdistrict"

    person = models.OneToOneField(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="volunteer",
        verbose_name=_("person"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("login"),
    )
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="+", verbose_name=_("sub-district")
    )
    villages = models.ManyToManyField(
        Village, blank=True, related_name="volunteers", verbose_name=_("villages")
    )
    centre = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("centre"),
    )
    club = models.ForeignKey(
        VolunteerClub,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("club"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=VolunteerStatus.choices, default="candidate"
    )
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["subdistrict", "id"]
        verbose_name = _("volunteer")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True)
                | Q(appointed_on__isnull=True)
                | Q(term_ends_on__gt=models.F("appointed_on")),
                name="volunteer_term_after_appointment",
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class Training(models.Model):
    scope_field = "volunteer__subdistrict"

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)

    class Meta:
        ordering = ["-completed_on", "id"]
        verbose_name = _("training")

    def __str__(self) -> str:
        return self.course


class Recognition(models.Model):
    """An award or certificate of honour (เกียรติบัตร, โล่)."""

    scope_field = "volunteer__subdistrict"

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="awards")
    award = models.CharField(_("award"), max_length=200)
    given_on = models.DateField(_("given on"))
    given_by = models.CharField(_("given by"), max_length=200, blank=True)

    class Meta:
        ordering = ["-given_on", "id"]
        verbose_name = _("recognition")

    def __str__(self) -> str:
        return self.award
