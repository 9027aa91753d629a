"""Reports (แจ้งเหตุ): what came in — a call, a LINE message, a web form, a walk-in, a
volunteer's visit or a partner's referral — with the people involved in it (`Party`).
Triage turns a report into a case, merges it into one, or closes it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.geo.models import Subdistrict, Village


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline 1300")
    LINE = "line", _("LINE")
    WEB = "web", _("Web self-report")
    WALK_IN = "walk_in", _("Walk-in at a centre")
    VOLUNTEER = "volunteer", _("Volunteer visit")
    PARTNER = "partner", _("Referral from a partner")


class CallType(models.TextChoices):
    NEW = "new", _("New problem")
    FOLLOW_UP = "follow_up", _("Follow-up")
    ENQUIRY = "enquiry", _("Enquiry")
    FEEDBACK = "feedback", _("Feedback")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    PRANK = "prank", _("Prank")


# Call types that need no case: the report closes as soon as it is saved (and still counts).
CLOSE_AT_ONCE = frozenset({CallType.FEEDBACK, CallType.WRONG_NUMBER, CallType.PRANK})


class Urgency(models.TextChoices):
    CRITICAL = "critical", _("Critical (ด่วนมาก)")
    URGENT = "urgent", _("Urgent (ด่วน)")
    NORMAL = "normal", _("Normal (ปกติ)")


URGENCY_RANK = {Urgency.CRITICAL: 0, Urgency.URGENT: 1, Urgency.NORMAL: 2}


class Risk(models.TextChoices):
    """The risk checklist filled in during a call."""

    VIOLENCE = "violence", _("Physical violence")
    SEXUAL_ABUSE = "sexual_abuse", _("Repeated sexual abuse")
    SUICIDE = "suicide", _("Risk of suicide")
    TRAFFICKING = "trafficking", _("Signs of trafficking")
    DRUGS = "drugs", _("Drugs")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    WEAPON = "weapon", _("Weapon in the home")
    CHILD_ALONE = "child_alone", _("Child left alone")
    NO_FOOD = "no_food", _("No food or shelter tonight")
    BEDRIDDEN = "bedridden", _("Bedridden without a carer")


class ReportStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for triage")
    ACCEPTED = "accepted", _("Accepted into a new case")
    MERGED = "merged", _("Merged into an existing case")
    CLOSED = "closed", _("Closed")


class Report(models.Model):
    scope_field = "subdistrict"

    reference = models.CharField(_("tracking code"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    call_type = models.CharField(_("call type"), max_length=16, choices=CallType.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.WAITING
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    # Reporter: may be anonymous. Never shown the alleged offenders' data.
    reporter_anonymous = models.BooleanField(_("anonymous reporter"), default=False)
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=40, blank=True)
    reporter_relation = models.CharField(_("relation to the people"), max_length=100, blank=True)
    # What happened, when and where.
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="+", verbose_name=_("sub-district")
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("address or landmark"), max_length=300, blank=True)
    category = models.CharField(_("issue"), max_length=40, blank=True)
    subcategory = models.CharField(_("sub-problem"), max_length=40, blank=True)
    risks = models.JSONField(_("risk checklist"), default=list, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    summary = models.TextField(_("what was reported"), blank=True)
    # Set once at intake by the catalogue's one rule (`intake.catalogue.is_sensitive`: the
    # issue, or a sensitive risk); the case inherits it at triage.
    sensitive = models.BooleanField(_("sensitive"), default=False)
    # Triage.
    routed_to = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("responsible unit"),
    )
    due_at = models.DateTimeField(_("first contact due"), null=True, blank=True)
    case = models.ForeignKey(
        "Case", on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A retried request with the same key returns the first report instead of a second one.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "routed_to"]),
            models.Index(fields=["subdistrict", "received_at"]),
        ]

    def __str__(self) -> str:
        return self.reference


class PartyRole(models.TextChoices):
    VICTIM = "victim", _("Person needing help")
    ALLEGED_OFFENDER = "alleged_offender", _("Alleged offender")
    FAMILY = "family", _("Family member")
    WITNESS = "witness", _("Witness")


class Party(models.Model):
    """A person involved in a report: linked to the registry, or described when unknown.
    Victims and alleged offenders are told apart by `role`; offenders are never shown to
    reporters (tracking page) and are left out of anything a reporter can see."""

    scope_field = "report__subdistrict"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name as given"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=10, blank=True)
    age = models.PositiveSmallIntegerField(_("age (estimate)"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name or self.person_id}"
