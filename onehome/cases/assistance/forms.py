"""Forms of assistance: a service on the case (in-kind aid names an item, a quantity and
its provider) and receiving stock at a centre. Shapes only; the services decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onehome.access.models import User
from onehome.cases.form_base import StyledForm
from onehome.cases.models import Case, ServiceKind, Stock, StockItem
from onehome.core.pickers import organisation_field
from onehome.orgs.models import Organisation


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
    provider = organisation_field(_("Provider"), purpose="provider", required=False)

    def __init__(self, *args, case: Case | None = None, actor: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.all()
        if case is not None:
            qs = qs.filter(
                Q(province_id=case.subdistrict.province_id)
                | Q(pk=getattr(actor, "organisation_id", None))
            )
            self.fields["provider"].widget.params.update(
                province=case.subdistrict.province_id, area=case.subdistrict_id
            )
        self.fields["provider"].queryset = qs.order_by("kind", "name_th")
        self.fields["provider"].empty_label = _("— my organisation —")
        self.fields["provider"].widget.placeholder = _("— my organisation —")
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
