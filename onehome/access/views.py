"""The audit log search, for auditors only; anyone else gets 404 as if it did not exist."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from onehome.access.policy import personal_data
from onehome.core.widgets import ThaiDateField, ThaiDateInput

from . import audit, selectors
from .models import AuditEvent

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    person_id = forms.IntegerField(
        label=_("Person number"),
        required=False,
        min_value=1,
        widget=forms.NumberInput({"class": "form-control", "inputmode": "numeric"}),
    )
    actor = forms.CharField(
        label=_("Username"),
        required=False,
        max_length=150,
        widget=forms.TextInput({"class": "form-control", "autocapitalize": "none"}),
    )
    date_from = ThaiDateField(
        label=_("From"), required=False, widget=ThaiDateInput({"class": "form-control"})
    )
    date_to = ThaiDateField(
        label=_("To"), required=False, widget=ThaiDateInput({"class": "form-control"})
    )


@personal_data
@login_required
def audit_log(request):
    user = request.user
    if not selectors.can_read_audit(user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(user=user, **{k: v for k, v in filters.items() if v})
    page = audit.audited_page(
        user, events, request.GET.get("page"), per_page=PAGE_SIZE, kind=AuditEvent,
        purpose="audit log",
    )  # fmt: skip
    return render(request, "access/audit.html", {"form": form, "page": page})
