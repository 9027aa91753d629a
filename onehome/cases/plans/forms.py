"""Forms of the work on an open case: assessment, plan goals, workers, transfer, the SLA
pause and in-kind aid. Shapes only; the services decide (see `forms.py`)."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.access.models import User
from onehome.orgs.models import AGENCY_KINDS, CENTRE_KINDS, Organisation

from .forms import StyledForm, VersionForm
from .models import Case, CaseWorker, Dimension, Risk, ServiceKind, Stock, StockItem

LEVEL_CHOICES = [
    (0, _("0 · no need")),
    (1, _("1 · some need")),
    (2, _("2 · serious")),
    (3, _("3 · severe")),
]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessmentForm(StyledForm):
    """A level (0–3) and a note for each of the five dimensions, and protection risks."""

    protection_risks = forms.MultipleChoiceField(
        label=_("Protection risks"),
        choices=Risk.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for dim in Dimension:
            fields[f"level_{dim.value}"] = forms.TypedChoiceField(
                label=dim.label, choices=LEVEL_CHOICES, coerce=int, initial=0
            )
            fields[f"note_{dim.value}"] = forms.CharField(
                label=_("Note"), max_length=1000, required=False
            )
        fields.update(self.fields)
        self.fields = fields
        self.fields["protection_risks"].widget.attrs["class"] = "form-check-input"
        for name, field in self.fields.items():
            if name.startswith(("level_", "note_")):
                css = "form-select" if name.startswith("level_") else "form-control"
                field.widget.attrs["class"] = css

    def rows(self):
        """(level field, note field) per dimension, for the template."""
        return [(self[f"level_{d.value}"], self[f"note_{d.value}"]) for d in Dimension]

    def dimensions(self) -> dict:
        d = self.cleaned_data
        return {
            dim.value: {"level": d[f"level_{dim.value}"], "note": d.get(f"note_{dim.value}", "")}
            for dim in Dimension
        }


class PlanGoalForm(StyledForm):
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)
    goal = forms.CharField(label=_("Goal"), max_length=300)
    action = forms.CharField(label=_("Action"), max_length=300)
    agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Organisation.objects.none()
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)

    def __init__(self, *args, province_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.all()
        if province_id:
            qs = qs.filter(Q(province_id=province_id) | Q(province__isnull=True))
        self.fields["agency"].queryset = qs.order_by("kind", "name_th")
        self.fields["due_date"].initial = timezone.localdate() + timezone.timedelta(days=30)


class GoalStepForm(VersionForm):
    text = forms.CharField(label=_("Reason"), max_length=300, required=False)


class AssignForm(VersionForm):
    user = forms.ModelChoiceField(label=_("Worker"), queryset=User.objects.none())
    lead = forms.BooleanField(label=_("Lead worker"), required=False)

    def __init__(self, *args, case: Case | None = None, actor: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Colleagues of the agencies on the case; the service checks role and area.
        qs = User.objects.filter(is_active=True)
        if case is not None:
            orgs = {o for o in (case.owner_id, actor and actor.organisation_id) if o}
            qs = qs.filter(organisation_id__in=orgs)
            qs = qs.exclude(pk__in=CaseWorker.objects.filter(case=case).values("user_id"))
        self.fields["user"].queryset = qs.order_by("first_name", "username")
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class UnassignForm(VersionForm):
    user = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TransferForm(VersionForm):
    to_org = forms.ModelChoiceField(label=_("Transfer to"), queryset=Organisation.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.filter(kind__in=AGENCY_KINDS | CENTRE_KINDS)
        if case is not None:
            province = case.subdistrict.province_id
            qs = qs.filter(Q(province_id=province) | Q(province__isnull=True))
            qs = qs.exclude(pk=case.owner_id)
        self.fields["to_org"].queryset = qs.order_by("kind", "name_th")


class PauseForm(VersionForm):
    reason = forms.CharField(label=_("Waiting for"), max_length=300)


class ServiceForm(StyledForm):
    """A service on the case; in-kind aid names an item, a quantity and its provider."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = forms.DecimalField(
        label=_("Amount (baht)"), max_digits=10, decimal_places=2, required=False
    )
    item = forms.ModelChoiceField(
        label=_("Item (in-kind aid)"), queryset=StockItem.objects.all(), required=False
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, required=False)
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, case: Case | None = None, actor: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.all()
        if case is not None:
            qs = qs.filter(
                Q(province_id=case.subdistrict.province_id)
                | Q(pk=getattr(actor, "organisation_id", None))
            )
        self.fields["provider"].queryset = qs.order_by("kind", "name_th")
        self.fields["provider"].empty_label = _("— my organisation —")
        self.fields["item"].queryset = StockItem.objects.order_by("name_th")


def stock_at(providers) -> list[Stock]:
    """What each provider holds (no personal data), for "stock left" beside the form."""
    return list(
        Stock.objects.filter(organisation__in=providers, quantity__gt=0)
        .select_related("item", "organisation")
        .order_by("organisation__name_th", "item__name_th")[:100]
    )


class ReceiveStockForm(StyledForm):
    item = forms.ModelChoiceField(label=_("Item"), queryset=StockItem.objects.none())
    quantity = forms.IntegerField(label=_("Quantity received"), min_value=1, max_value=1_000_000)
    note = forms.CharField(label=_("Note (delivery, donor)"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = StockItem.objects.order_by("name_th")
