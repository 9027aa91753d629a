"""The form that pauses a case's deadline while waiting on the family."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onehome.cases.form_base import VersionForm


class PauseForm(VersionForm):
    reason = forms.CharField(label=_("Waiting for"), max_length=300)
