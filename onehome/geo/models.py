"""Administrative areas with DOPA codes: province (2 digits) → district (4) → sub-district (6)
→ village (8 = sub-district + หมู่ number). Inspection regions group provinces.

Codes are the primary keys so that every record can be scoped by a prefix-free equality
on a short string and so that imports can refer to areas by the codes people already use.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class NamedArea(models.Model):
    name_th = models.CharField(_("Thai name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Thai unless English is chosen and known)."""
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_th


class InspectionRegion(NamedArea):
    code = models.CharField(_("code"), max_length=8, primary_key=True)
    number = models.PositiveSmallIntegerField(_("number"), default=0)

    class Meta:
        ordering = ["number"]
        verbose_name = _("inspection region")


class Province(NamedArea):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    region = models.ForeignKey(
        InspectionRegion, on_delete=models.PROTECT, null=True, related_name="provinces"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")


class District(NamedArea):
    code = models.CharField(_("code"), max_length=4, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")


class Subdistrict(NamedArea):
    code = models.CharField(_("code"), max_length=6, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="subdistricts")
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sub-district")


class Village(NamedArea):
    """หมู่บ้าน; created by imports and the API, since no package lists all ~75,000."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="villages")
    number = models.PositiveSmallIntegerField(_("village number (หมู่)"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("village")

    def __str__(self) -> str:
        moo = _("Moo")  # outside the f-string so that makemessages finds it
        return f"{moo} {self.number} {self.name}"
