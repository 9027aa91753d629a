"""The visit form and the help request form: shapes only. The questions come from the
questionnaire in force (one field per question, grouped by dimension on the page); every
rule (answer kinds and ranges, members, dates, photo) is the service's."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from onehome.cases.intake import catalogue
from onehome.cases.models import Urgency
from onehome.core.widgets import ThaiDateField
from onehome.volunteers.models import HelpKind
from onehome.volunteers.visits.questionnaire import Questionnaire

YES_NO = (("yes", _("Yes")), ("no", _("No")))


def field_name(question_id: str) -> str:
    return f"q_{question_id}"


def _question_field(question) -> forms.Field:
    label = question.label
    if question.kind == "yes_no":
        return forms.ChoiceField(
            label=label, required=False, choices=YES_NO, widget=forms.RadioSelect
        )
    if question.kind == "choice":
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[(c, question.choice_label(c)) for c in question.choices],
            widget=forms.RadioSelect,
        )
    if question.kind == "number":
        return forms.CharField(
            label=label,
            required=False,
            max_length=20,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
        )
    return forms.CharField(
        label=label,
        required=False,
        max_length=question.max_length,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class HelpFields(forms.Form):
    """The "ask for help" part, on the visit form and on its own page."""

    help_kind = forms.ChoiceField(
        label=_("Kind of help"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    help_summary = forms.CharField(
        label=_("What is wrong, and what help is needed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    help_urgency = forms.ChoiceField(
        label=_("How urgent"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    help_amount = forms.CharField(
        label=_("Amount of cash aid asked (baht)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
    )
    help_items = forms.CharField(
        label=_("Relief items needed"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    help_issue = forms.ChoiceField(
        label=_("Issue"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, help_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_id"].initial = uuid.uuid4()
        none = [] if help_required else [("", _("No help asked"))]
        # Set after the widget exists: a widget replaced later would lose these choices.
        self.fields["help_kind"].choices = none + list(HelpKind.choices)
        self.fields["help_kind"].required = help_required
        self.fields["help_summary"].required = help_required
        default = ("", _("Default: follows the person who needs help"))  # `help.default_issue`
        self.fields["help_issue"].choices = [default] + [
            (f"{issue.code}/{sub.code}", f"{issue.label} – {sub.label}")
            for issue in catalogue.issues()
            for sub in issue.subs
        ]

    def help_kwargs(self) -> dict | None:
        """The help request's fields for the service, or None when none was asked."""
        data = self.cleaned_data
        if not data.get("help_kind"):
            return None
        category, _slash, subcategory = (data.get("help_issue") or "").partition("/")
        return {
            "kind": data["help_kind"],
            "summary": data.get("help_summary", ""),
            "urgency": data.get("help_urgency") or Urgency.NORMAL,
            "amount": data.get("help_amount") or None,
            "items": data.get("help_items", ""),
            "category": category,
            "subcategory": subcategory,
        }


class VisitForm(HelpFields):
    visited_on = ThaiDateField(label=_("Date of the visit"))
    present = forms.MultipleChoiceField(
        label=_("Who was present"), required=False, widget=forms.CheckboxSelectMultiple
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs found"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    photo = forms.FileField(
        label=_("Photo (optional, up to 2 MB)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "class": "form-control"}
        ),
    )

    def __init__(self, *args, edition: Questionnaire, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["present"].choices = [(str(p.pk), p.full_name_th) for p in members]
        self.fields["needs"].choices = edition.need_choices()
        for question in edition.questions:
            self.fields[field_name(question.id)] = _question_field(question)

    def groups(self):
        """(dimension label, bound fields) in the dimensions' order, for the page."""
        return [
            (label, [self[field_name(q.id)] for q in questions])
            for _dim, label, questions in self.edition.by_dimension()
            if questions
        ]

    def answers(self) -> dict:
        return {q.id: self.cleaned_data.get(field_name(q.id)) for q in self.edition.questions}


class HelpRequestForm(HelpFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, help_required=True, **kwargs)
