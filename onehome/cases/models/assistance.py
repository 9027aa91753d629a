"""Services and assistance on a case, cash payments, and the stock of in-kind aid."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case


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

    version = models.PositiveIntegerField(default=1, db_default=1)

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
