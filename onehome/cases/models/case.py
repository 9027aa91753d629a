"""Reports, cases and everything done on a case: its timeline, assessment, plan,
referrals, services and payments, stock of in-kind aid, notifications and glass breaks.

A *report* (แจ้งเหตุ) is what came in — a call, a LINE message, a web form, a walk-in, a
volunteer's visit or a partner's referral. Triage turns it into a *case*, merges it into an
existing case, or closes it with a reason. The case is the one story every agency on it
sees; `CaseEvent` rows are its timeline and are never edited.

The rules (which transitions are allowed, who may do what, deadlines) are not here: they
live in `lifecycle.py`, `services.py`, `sla.py` and friends, so models stay plain data.
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.geo.code_prefix import CodePrefix
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
    """One line of a case plan: a goal in a dimension, the action, who does it, by when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan")
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    goal = models.CharField(_("goal"), max_length=300)
    action = models.CharField(_("action"), max_length=300)
    agency = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.goal}"


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


class ServiceKind(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling")
    SHELTER = "shelter", _("Shelter placement")
    CASH_AID = "cash_aid", _("Cash aid (เงินสงเคราะห์)")
    IN_KIND = "in_kind", _("In-kind aid")
    EDUCATION = "education", _("Education support")
    JOB = "job", _("Job support")
    OTHER_MINISTRY = "other_ministry", _("Referral to another ministry")


class ServiceStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DELIVERED = "delivered", _("Delivered")


class StockItem(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=40, default="ชิ้น")

    def __str__(self) -> str:
        return self.name_th


class Stock(models.Model):
    """How many of an item a centre holds. Changed only through `StockMove`s."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="stock"
    )
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "item"], name="one_stock_per_item"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stock_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.item_id}: {self.quantity}"


class Service(models.Model):
    """Assistance given on a case. Cash aid above the ceiling waits for an approval."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    provider = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount (baht)"), max_digits=10, decimal_places=2, null=True)
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, null=True, blank=True)
    quantity = models.PositiveIntegerField(null=True, blank=True)
    recipient = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=ServiceStatus.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.status})"


class Payment(models.Model):
    """A cash payment, with who approved it. Written once when cash aid is delivered."""

    service = models.OneToOneField(Service, on_delete=models.PROTECT, related_name="payment")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    paid_at = models.DateTimeField(default=timezone.now)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.amount} ({self.paid_at:%Y-%m-%d})"


class StockMove(models.Model):
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="moves")
    delta = models.IntegerField()
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.stock_id} {self.delta:+d}"


class GlassBreak(models.Model):
    """A time-limited grant to read a sensitive case one is not assigned to."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="glass_breaks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["case", "user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} by {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Which senders delivered it (e.g. ["app", "email", "sms"]).
    sent_via = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title
