"""Forms of the volunteer pages: the record (new and edit), a status step, a training, an
award, the login, a club, and the list's filters. Shapes only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onehome.access.roles import Action
from onehome.access.scope import PREFIX_WIDTH, area_scope
from onehome.cases.form_base import StyledForm, VersionForm
from onehome.core.pickers import AreaField, PersonField, organisation_field
from onehome.core.widgets import ThaiDateField
from onehome.geo.models import Village
from onehome.orgs.models import AGENCY_KINDS, CENTRE_KINDS, Organisation
from onehome.volunteers.models import VolunteerClub, VolunteerStatus

CHOOSE_PERSON = _("Type the person's name or national ID and choose them from the list.")
OUTSIDE_AREA = _("This sub-district is outside your area. Choose a sub-district of your own area.")


def offer_own_area(field: forms.Field, user) -> None:
    """Let the sub-district picker suggest only the sub-districts of the area where ``user``
    keeps volunteers (a province, district or sub-district code as its ``within``); a
    region's or the nation's staff are offered all, their own area first. The service
    still decides: a sub-district outside the area is refused (`OUTSIDE_AREA`)."""
    scope = area_scope(user, Action.MANAGE_VOLUNTEERS) if user is not None else None
    if scope is not None and scope[0] in PREFIX_WIDTH:
        field.widget.params["within"] = scope[1]


class VillagesField(forms.MultipleChoiceField):
    """Village codes ticked among those of the chosen sub-district. The choices shown are
    set once the sub-district is known; whether a village lies in it is the service's rule
    (its message names the sub-district)."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value) -> bool:
        return str(value).isdigit() and len(str(value)) == 8


class VolunteerForm(StyledForm):
    """The record's fields; ``user`` ranks the pickers' suggestions and limits the clubs."""

    subdistrict = AreaField(label=_("Sub-district"), max_length=6)
    villages = VillagesField(
        label=_("Villages"),
        required=False,
        help_text=_("Choose the sub-district first; its villages are listed here."),
    )
    centre = organisation_field(_("Centre"), purpose="transfer")
    club = forms.ModelChoiceField(
        label=_("Club"), queryset=VolunteerClub.objects.none(), required=False
    )
    appointed_on = ThaiDateField(label=_("Appointed on"), required=False)
    term_ends_on = ThaiDateField(label=_("Term ends on"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput({"inputmode": "tel"}),
    )

    def __init__(self, *args, user=None, clubs=None, province: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = Organisation.objects.filter(
            kind__in=CENTRE_KINDS | AGENCY_KINDS
        ).order_by("kind", "name_th")
        if province:
            self.fields["centre"].widget.params.update(province=province)
        if clubs is not None:
            self.fields["club"].queryset = clubs.order_by("name")
        offer_own_area(self.fields["subdistrict"], user)
        self.fields["villages"].widget.attrs["class"] = "form-check-input"
        code = (self.data.get("subdistrict") or "") if self.is_bound else ""
        self.show_villages(code or self.initial.get("subdistrict") or "")

    def show_villages(self, subdistrict_code: str) -> None:
        """List the villages of this sub-district as the choices (none for another code)."""
        villages = Village.objects.filter(subdistrict_id=str(subdistrict_code)).order_by("number")
        self.fields["villages"].choices = [(v.code, str(v)) for v in villages]

    def record_values(self) -> dict:
        """The cleaned data as the services take it."""
        d = self.cleaned_data
        return {
            "subdistrict": d["subdistrict"],
            "villages": d.get("villages") or [],
            "centre_id": d["centre"].pk,
            "club_id": d["club"].pk if d.get("club") else None,
            "appointed_on": d.get("appointed_on"),
            "term_ends_on": d.get("term_ends_on"),
            "phone": d.get("phone", ""),
        }


class NewVolunteerForm(VolunteerForm):
    person = PersonField(
        label=_("Person"),
        help_text=_("A person already in the registry; register them there first if not."),
        error_messages={"required": CHOOSE_PERSON, "invalid": CHOOSE_PERSON},
    )
    field_order = ["person"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["person"].user = user


class EditVolunteerForm(VolunteerForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StepForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    appointed_on = ThaiDateField(label=_("Appointed on"), required=False)
    term_ends_on = ThaiDateField(label=_("Term ends on"), required=False)


class TrainingForm(StyledForm):
    course = forms.CharField(label=_("Course"), max_length=200)
    completed_on = ThaiDateField(label=_("Completed on"))
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=1000, required=False)


class AwardForm(StyledForm):
    award = forms.CharField(label=_("Award"), max_length=200)
    given_on = ThaiDateField(label=_("Given on"))
    given_by = forms.CharField(label=_("Awarded by"), max_length=200, required=False)


class LoginForm(VersionForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(
        label=_("First password"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("For a new login; leave empty to tie an existing volunteer's login."),
    )


class ClubForm(StyledForm):
    name = forms.CharField(label=_("Club name"), max_length=200)
    subdistrict = AreaField(label=_("Sub-district"), max_length=6)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_own_area(self.fields["subdistrict"], user)


class FilterForm(StyledForm):
    q = forms.CharField(label=_("Name or phone"), required=False, max_length=100)
    area = AreaField(level="area", label=_("Area"), required=False, max_length=8)
    status = forms.ChoiceField(label=_("Status"), required=False)
    club = forms.ModelChoiceField(
        label=_("Club"), queryset=VolunteerClub.objects.none(), required=False
    )

    def __init__(self, *args, clubs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *VolunteerStatus.choices]
        if clubs is not None:
            self.fields["club"].queryset = clubs.order_by("name")
