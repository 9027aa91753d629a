"""Home visits and the electronic family record book (สมุดพกครอบครัว).

A visit answers the questionnaire in force (questions are versioned data,
`volunteers/visits/questionnaires/`), names who was present and the needs found. Its
answers are copied into the household's record book, one `RecordBookEntry` per answer, so
the book's history shows each dimension over time whatever questionnaire asked it. A
visit may raise help requests: reports into the ordinary intake (`HelpRequest`)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.cases.models import Dimension

from .roster import Volunteer


def visit_photo_path(instance: "Visit", filename: str) -> str:
    # The name is the visit's own id: the volunteer's file name may hold a person's name.
    # Only the extension is kept, and only one the visits service checked the bytes of.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    ext = ext if ext in {"jpg", "png", "webp"} else "jpg"
    return f"visits/{instance.household_id}/{instance.client_id}.{ext}"


class Visit(models.Model):
    scope_field = "household__subdistrict"

    # Made on the phone (or by the page) before the first try, so a retry never duplicates.
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="visits"
    )
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    questionnaire = models.CharField(_("questionnaire version"), max_length=20)
    answers = models.JSONField(default=dict)
    present = models.ManyToManyField(
        "registry.Person", blank=True, related_name="+", verbose_name=_("who was present")
    )
    needs = models.JSONField(_("needs found"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    photo = models.FileField(_("photo"), upload_to=visit_photo_path, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("home visit")
        indexes = [models.Index(fields=["household", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_on}"


class RecordBookEntry(models.Model):
    """One answer in a household's record book, as of the visit that gave it."""

    scope_field = "household__subdistrict"

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="record_book"
    )
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="entries")
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    question = models.CharField(max_length=40)
    value = models.JSONField(null=True)
    # Whether the answer means the household is deprived on the question's indicator.
    deprived = models.BooleanField(null=True)
    recorded_on = models.DateField()

    class Meta:
        ordering = ["household", "dimension", "question", "-recorded_on", "-id"]
        verbose_name = _("family record book entry")
        indexes = [models.Index(fields=["household", "dimension", "recorded_on"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.question}={self.value}"


class HelpKind(models.TextChoices):
    HELP = "help", _("Help for someone in trouble")
    CASH_AID = "cash_aid", _("Emergency cash aid (เงินสงเคราะห์)")
    RELIEF_ITEMS = "relief_items", _("Relief items (ถุงยังชีพ)")


class HelpRequest(models.Model):
    """A volunteer's request for help: a report in the ordinary intake (channel volunteer),
    routed and triaged like any other. A request for cash or relief items becomes, when its
    report is accepted into a case, a service awaiting the usual approval."""

    scope_field = "household__subdistrict"

    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="help_requests"
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="help_requests"
    )
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="help_requests")
    report = models.OneToOneField(
        "cases.Report", on_delete=models.PROTECT, related_name="help_request"
    )
    kind = models.CharField(_("kind of help"), max_length=16, choices=HelpKind.choices)
    amount = models.DecimalField(
        _("amount (baht)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    items = models.CharField(_("items"), max_length=200, blank=True)
    service = models.OneToOneField(
        "cases.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_request",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("help request")

    def __str__(self) -> str:
        return f"{self.kind} {self.household_id}"
