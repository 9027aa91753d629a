"""The break-the-glass form (a reason; the service checks it after the scope), and the
form that lowers a case's sensitivity (a supervisor's decision, with a reason)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onehome.cases.form_base import StyledForm, VersionForm


class GlassForm(StyledForm):
    reason = forms.CharField(
        label=_("Why do you need this case now?"),
        max_length=300,
        # The service checks the reason, after the scope (out of scope is 404 first).
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )


class LowerSensitivityForm(VersionForm):
    reason = forms.CharField(
        label=_("Why is this case no longer sensitive?"),
        max_length=300,
        # The service checks the reason (at least 10 characters) and who may decide.
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )
