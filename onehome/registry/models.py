"""People, households and who lives where (with history), and the record of merges.

Target groups (children, youth, elderly, people with disabilities, single-parent families,
homeless) are not stored: `target_groups.py` derives them in queries from birth dates,
disability and memberships, so they never go stale.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from onehome.geo.models import Subdistrict, Village


class IdType(models.TextChoices):
    THAI_ID = "thai_id", _("Thai national ID")
    NON_THAI_ID = "non_thai_id", _("ID card for non-Thai / stateless person")
    PASSPORT = "passport", _("Passport")
    NONE = "none", _("No document")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not stated")


class Disability(models.TextChoices):
    """The seven types of the Persons with Disabilities Empowerment Act (2007)."""

    VISUAL = "visual", _("Visual")
    HEARING = "hearing", _("Hearing or communication")
    PHYSICAL = "physical", _("Physical or movement")
    MENTAL = "mental", _("Mental or behavioural")
    INTELLECTUAL = "intellectual", _("Intellectual")
    LEARNING = "learning", _("Learning")
    AUTISM = "autism", _("Autism")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    RELATIVE = "relative", _("Other relative")
    NON_RELATIVE = "non_relative", _("Not related")


class Person(models.Model):
    scope_field = "subdistrict"

    id_type = models.CharField(_("identity document"), max_length=16, choices=IdType.choices)
    id_number = models.CharField(
        _("document number"), max_length=20, null=True, blank=True, db_index=True
    )
    title = models.CharField(_("title"), max_length=30, blank=True)
    first_name_th = models.CharField(_("first name (Thai)"), max_length=100)
    last_name_th = models.CharField(_("last name (Thai)"), max_length=100, blank=True)
    first_name_en = models.CharField(_("first name (English)"), max_length=100, blank=True)
    last_name_en = models.CharField(_("last name (English)"), max_length=100, blank=True)
    # Search keys, written by services: normalised full name and Thai soundex codes.
    name_key = models.CharField(max_length=210, db_index=True, editable=False)
    first_sdx = models.CharField(max_length=8, editable=False)
    last_sdx = models.CharField(max_length=8, editable=False)
    # Folded spellings (common Thai misspellings forgiven) and folded royal-transliteration
    # keys of first and last name, for names typed in Latin letters (`matching`).
    first_fold = models.CharField(max_length=100, editable=False, default="")
    last_fold = models.CharField(max_length=100, editable=False, default="")
    first_rom = models.CharField(max_length=100, editable=False, default="")
    last_rom = models.CharField(max_length=100, editable=False, default="")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_approximate = models.BooleanField(_("only the birth year is known"), default=False)
    disability = models.CharField(
        _("disability"), max_length=16, choices=Disability.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=50, blank=True)
    no_fixed_address = models.BooleanField(_("no fixed address (homeless)"), default=False)
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="people", verbose_name=_("sub-district")
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_people"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["first_name_th", "last_name_th", "id"]
        verbose_name = _("person")
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                condition=Q(id_number__isnull=False),
                name="person_unique_document",
            )
        ]
        indexes = [
            models.Index(fields=["subdistrict", "birth_date"]),
            # Search keys with the sub-district second: a search in an area reads only the
            # area's matches, never the nation's (PostgreSQL otherwise ANDs a bitmap of
            # every person of the area, ~80 ms at a province of 260,000 people).
            *(
                models.Index(fields=[key, "subdistrict"], name=f"person_{key}_area")
                for key in (
                    "first_sdx",
                    "last_sdx",
                    "first_fold",
                    "last_fold",
                    "first_rom",
                    "last_rom",
                )
            ),
            # A name typed in Latin letters is also compared with the English names as
            # registered, case-insensitively (`iexact`, UPPER() = UPPER()).
            models.Index(Upper("first_name_en"), name="person_first_name_en_upper"),
            models.Index(Upper("last_name_en"), name="person_last_name_en_upper"),
        ]

    def __str__(self) -> str:
        return self.full_name_th

    @property
    def full_name_th(self) -> str:
        return " ".join(p for p in (self.title, self.first_name_th, self.last_name_th) if p)

    @property
    def full_name_en(self) -> str:
        return " ".join(p for p in (self.first_name_en, self.last_name_en) if p)


class Household(models.Model):
    scope_field = "subdistrict"

    house_no = models.CharField(_("house number"), max_length=30, blank=True)
    registration_no = models.CharField(
        _("house registration number"), max_length=11, blank=True, db_index=True
    )
    address_detail = models.CharField(_("address details"), max_length=200, blank=True)
    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("sub-district"),
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="households"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("household")

    def __str__(self) -> str:
        return f"{_('Household')} {self.pk} · {self.house_no}"


class Membership(models.Model):
    """A person living in a household from `start_date` until `end_date` (open = now)."""

    scope_field = "household__subdistrict"

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(
        _("relationship to head"), max_length=16, choices=Relationship.choices
    )
    start_date = models.DateField(_("since"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)

    class Meta:
        ordering = ["household", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="one_current_household"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(end_date__isnull=True, relationship="head"),
                name="one_current_head",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.household_id} ({self.start_date}–{self.end_date or ''})"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class PersonMerge(models.Model):
    """Two records of one person joined: `duplicate` now points at `kept`. `moved` lists every
    link that was repointed (model, field, row id) so that the merge can be undone exactly."""

    scope_field = "kept__subdistrict"

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    reason = models.CharField(_("reason"), max_length=300)
    moved = models.JSONField(default=list)
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"merge {self.duplicate_id} → {self.kept_id}"
