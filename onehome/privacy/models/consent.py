"""Consent records (PDPA s.19, s.24) and the emergency overrides of referrals."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    REFERRAL_PARTNER = "referral_partner", _("Sharing with organisations outside the ministry")
    CASE_WORK = "case_work", _("Case work and services of the ministry")
    CONTACT = "contact", _("Being contacted by phone or LINE")
    MEDIA = "media", _("Photos and media")
    RESEARCH = "research", _("Research and evaluation")


class LawfulBasis(models.TextChoices):
    """The lawful bases of PDPA s.24 (and consent, s.19)."""

    CONSENT = "consent", _("Consent (s.19)")
    VITAL_INTEREST = "vital_interest", _("Vital interest: danger to life, body or health (s.24(2))")
    CONTRACT = "contract", _("Contract (s.24(3))")
    PUBLIC_TASK = "public_task", _("Public task of the state (s.24(4))")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (s.24(5))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (s.24(6))")


class GivenBy(models.TextChoices):
    SELF = "self", _("The person themself")
    GUARDIAN = "guardian", _("Parent or guardian (minor)")
    CURATOR = "curator", _("Curator or custodian (incompetent person)")
    STAFF = "staff", _("Staff, on a basis other than consent")


class ConsentRecord(models.Model):
    """A person's consent for one purpose, or another lawful basis for it: given (by whom,
    when) and perhaps later withdrawn. Never deleted: a withdrawal is a date on the row."""

    scope_field = "person__subdistrict"

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    lawful_basis = models.CharField(
        _("lawful basis"), max_length=24, choices=LawfulBasis.choices, default=LawfulBasis.CONSENT
    )
    given_by = models.CharField(
        _("given by"), max_length=12, choices=GivenBy.choices, default=GivenBy.SELF
    )
    given_by_name = models.CharField(_("name of who gave it"), max_length=200, blank=True)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose"])]
        verbose_name = _("consent record")

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose} {'withdrawn' if self.withdrawn_at else 'given'}"

    @property
    def is_given(self) -> bool:
        return self.withdrawn_at is None


class EmergencyOverride(models.Model):
    """A referral sent outside the ministry without consent because a life, body or health
    was in danger (PDPA s.24(2)): who, when, why. The DPO reviews each."""

    scope_field = "case__subdistrict"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField(
        "cases.Referral", on_delete=models.PROTECT, related_name="emergency_override"
    )
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("emergency override")

    def __str__(self) -> str:
        return f"override {self.referral_id}"
