"""The break-the-glass form (a reason; the service checks it after the scope)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onehome.cases.form_base import StyledForm


class GlassForm(StyledForm):
    reason = forms.CharField(
        label=_("Why do you need this case now?"),
        max_length=300,
        # The service checks the reason, after the scope (out of scope is 404 first).
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )
