"""What every form of the case pages shares: Bootstrap classes on its widgets, the hidden
version a write is based on, and a service's refusal put on the field it is about. Forms
check input shapes only; the rules are in the services."""

from django import forms

from onehome.errors import ValidationError

# Service error codes → the field they are about.
FIELD_FOR_CODE = {
    "unknown_area": "subdistrict",
    "category": "category",
    "subcategory": "subcategory",
    "call_type": "call_type",
    "urgency": "urgency",
    "occurred_at": "occurred_at",
    "reason": "reason",
}


class StyledForm(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        if isinstance(field, str) and field in self.fields:
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the field it is about, or on the whole form."""
    field = FIELD_FOR_CODE.get(getattr(error, "code", None) or "")
    if field not in form.fields:
        field = None
    for message in error.messages:
        form.add_error(field, message)


class VersionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
