"""The case: the one story every agency on it sees, its assigned workers, and its
timeline (`CaseEvent` rows, never edited)."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.core.compiled.code_prefix import CodePrefix
from onehome.geo.models import Subdistrict, Village

from .reports import Urgency


class CaseStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a responsible unit")
    ASSESSING = "assessing", _("Assessing")
    REFERRED = "referred", _("Referred")
    ASSISTANCE_REPORTED = "assistance_reported", _("Assistance reported")
    ASSISTANCE_DONE = "assistance_done", _("Assistance done")
    CLOSURE_REQUESTED = "closure_requested", _("Closure awaiting approval")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = frozenset(set(CaseStatus) - {CaseStatus.CLOSED})


class Case(models.Model):
    scope_field = "subdistrict"
    scope_by_prefix = True  # a province or district is a prefix (indexes below)

    number = models.CharField(_("case number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.WAITING
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    category = models.CharField(_("issue"), max_length=40)
    subcategory = models.CharField(_("sub-problem"), max_length=40, blank=True)
    sensitive = models.BooleanField(_("sensitive"), default=False, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="+", verbose_name=_("sub-district")
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    owner = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("responsible agency"),
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CaseWorker", related_name="cases", blank=True
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # SLA of the current step: when it is due, and the pause while waiting on the family.
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # The status before a closure request, so a refused closure goes back where it was.
    status_before_closure = models.CharField(max_length=24, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["subdistrict", "status"]),
            models.Index(fields=["owner", "status", "due_at"]),
            models.Index(fields=["status", "due_at"]),
            # The case list: newest first within the user's area, read from the index alone
            # (the page's ids, then those rows); `sensitive` decides which rows need the
            # sensitive-case rule. INCLUDE is PostgreSQL's; SQLite builds the plain index.
            models.Index(
                fields=["subdistrict", "id"], include=["sensitive"], name="case_area_newest"
            ),
            # The same for a province's or a district's user (`access.scope.scoped` filters
            # by the code's prefix): the newest rows of the area in order, without reading
            # and sorting all of them (18,788 ids for a province of the bench database).
            *(
                models.Index(
                    CodePrefix("subdistrict", width),
                    F("id").desc(),
                    include=["sensitive"],
                    name=f"case_{level}_newest",
                )
                for level, width in (("province", 2), ("district", 4))
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseWorker(models.Model):
    """A worker assigned to a case (a sensitive case is visible to them and their
    supervisors only)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lead = models.BooleanField(default=False)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="one_assignment")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id}"


class EventKind(models.TextChoices):
    REPORT = "report", _("Report received")
    TRANSITION = "transition", _("Status changed")
    NOTE = "note", _("Note")
    ASSIGNMENT = "assignment", _("Worker assigned")
    TRANSFER = "transfer", _("Transferred to another agency")
    MERGE = "merge", _("Report merged")
    ASSESSMENT = "assessment", _("Assessment")
    PLAN = "plan", _("Plan")
    REFERRAL = "referral", _("Referral")
    SERVICE = "service", _("Service")
    PAYMENT = "payment", _("Payment")
    PAUSE = "pause", _("Waiting on the family")
    RESUME = "resume", _("Resumed")
    ESCALATION = "escalation", _("Escalated")
    GLASS_BREAK = "glass_break", _("Emergency access")
    SENSITIVITY_LOWERED = "unsensitive", _("No longer sensitive")


class CaseEvent(models.Model):
    """One line of a case's timeline. Written by services only, never edited."""

    scope_field = "case__subdistrict"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
