"""Forms of the assignment pages. The volunteer select lists the working volunteers of
the household's sub-district only (a few dozen at most, with their villages and load),
never a flat list of a province's hundreds; the rules are the services'."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from onehome.cases.form_base import StyledForm
from onehome.core.pickers import AreaField
from onehome.targeting.results.labels import round_label
from onehome.targeting.runs.selectors import done_runs
from onehome.volunteers.assignments.spread import Slot

REASON_MAX = 200


def run_choices() -> list[tuple[int, str]]:
    """The newest finished runs, named as the targeting pages name their rounds."""
    return [
        (run.pk, f"#{run.pk} · {round_label(run.survey_round)}")
        for run in done_runs().order_by("-pk")[:50]
    ]


def volunteer_label(slot: Slot) -> str:
    villages = ", ".join(sorted(code[-2:].lstrip("0") for code in slot.villages)) or "–"
    load = ngettext("%(n)d household", "%(n)d households", slot.load) % {"n": slot.load}
    return _("%(name)s · villages %(villages)s · %(load)s") % {
        "name": slot.volunteer.person,
        "villages": villages,
        "load": load,
    }


class RunAreaForm(StyledForm):
    """A finished run and an area: the bulk assignment (a sub-district) and the coverage
    page (a province, district or sub-district)."""

    run = forms.TypedChoiceField(label=gettext_lazy("Targeting run"), coerce=int)

    def __init__(self, *args, level: str = "subdistrict", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = run_choices()
        label = gettext_lazy("Sub-district") if level == "subdistrict" else gettext_lazy("Area")
        self.fields["area"] = AreaField(level=level, label=label)
        self.order_fields(["run", "area"])


class ConfirmBulkForm(forms.Form):
    run = forms.IntegerField(widget=forms.HiddenInput)
    area = forms.CharField(widget=forms.HiddenInput, max_length=6)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class VolunteerForm(StyledForm):
    """Choose a volunteer of the sub-district; with ``reason``, for a reassignment."""

    volunteer = forms.TypedChoiceField(label=gettext_lazy("Volunteer"), coerce=int)

    def __init__(self, *args, slots: list[Slot], reason: bool = False, optional=False, **kw):
        super().__init__(*args, **kw)
        choices = [(s.id, volunteer_label(s)) for s in slots]
        if optional:
            choices.insert(0, ("", _("Choose by village and load")))
            self.fields["volunteer"].required = False
            self.fields["volunteer"].empty_value = None
        self.fields["volunteer"].choices = choices
        self.fields["volunteer"].error_messages["required"] = _("Choose a volunteer.")
        if reason:
            self.fields["reason"] = forms.CharField(
                label=gettext_lazy("Reason"), max_length=REASON_MAX
            )
            self.fields["reason"].widget.attrs["class"] = "form-control"


class EndForm(StyledForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=REASON_MAX)
