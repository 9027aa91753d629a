"""Organisations of the network — ministry agencies, centres and partners — and the
agreements (MOUs) between them.

One table for every kind keeps referrals, users and agreements simple: each points at an
`Organisation` whatever its kind; `group` says which directory section it belongs to.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from onehome.geo.models import Province, Subdistrict


class OrgKind(models.TextChoices):
    MINISTRY_DEPARTMENT = "ministry_department", _("Ministry department")
    PROVINCIAL_OFFICE = "provincial_office", _("Provincial social development office (พมจ.)")
    PROVINCIAL_UNIT = "provincial_unit", _("Provincial unit of a department")
    ONE_HOME_TEAM = "one_home_team", _("One Home team (ทีม One Home พม.)")
    FAMILY_CENTRE = "family_centre", _("Family development centre (ศพค.)")
    ASSISTANCE_CENTRE = "assistance_centre", _("Social assistance centre (ศูนย์ช่วยเหลือสังคม)")
    LOCAL_GOVERNMENT = "local_government", _("Local government (อปท.)")
    UNIVERSITY = "university", _("University")
    HOSPITAL = "hospital", _("Hospital")
    POLICE = "police", _("Police")
    NGO = "ngo", _("NGO")
    FOUNDATION = "foundation", _("Foundation")


AGENCY_KINDS = {
    OrgKind.MINISTRY_DEPARTMENT,
    OrgKind.PROVINCIAL_OFFICE,
    OrgKind.PROVINCIAL_UNIT,
    OrgKind.ONE_HOME_TEAM,
}
CENTRE_KINDS = {OrgKind.FAMILY_CENTRE, OrgKind.ASSISTANCE_CENTRE}
PARTNER_KINDS = set(OrgKind) - AGENCY_KINDS - CENTRE_KINDS


class Organisation(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    location = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    serves = models.ManyToManyField(
        Subdistrict, blank=True, related_name="served_by", verbose_name=_("serves sub-districts")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    accepts_referrals = models.BooleanField(_("accepts referrals"), default=True)
    contribution = models.TextField(_("what it contributes"), blank=True)

    class Meta:
        ordering = ["kind", "name_th"]
        indexes = [models.Index(fields=["province", "kind"])]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name_th

    @property
    def group(self) -> str:
        if self.kind in AGENCY_KINDS:
            return "agency"
        if self.kind in CENTRE_KINDS:
            return "centre"
        return "partner"


def agreement_upload_to(instance: "Agreement", filename: str) -> str:
    return f"agreements/{instance.code}/{filename}"


class Agreement(models.Model):
    """บันทึกความร่วมมือ (MOU) between two or more organisations."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    parties = models.ManyToManyField(Organisation, related_name="agreements")
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    scope = models.TextField(_("scope of cooperation"))
    provinces = models.ManyToManyField(Province, blank=True, related_name="agreements")
    document = models.FileField(_("document"), upload_to=agreement_upload_to, blank=True)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("agreement (MOU)")

    def __str__(self) -> str:
        return self.title
