"""The picker widget's HTML: the attributes the form adds (maxlength, aria-invalid, the
error's aria-describedby) are real attributes of the visible box, once each, and the box
is submitted as <name>_text so that a form works without JavaScript."""

from html.parser import HTMLParser

import pytest
from django import forms

from onehome.conftest import WIANG
from onehome.core.pickers import AreaField, TypedText

pytestmark = pytest.mark.django_db


class Inputs(HTMLParser):
    """Each <input>'s attributes, as a list of (name, value) pairs (duplicates kept)."""

    def __init__(self):
        super().__init__()
        self.inputs: list[list[tuple[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(attrs)


def inputs(html: str) -> list[list[tuple[str, str | None]]]:
    parser = Inputs()
    parser.feed(html)
    return parser.inputs


class AreaForm(forms.Form):
    subdistrict = AreaField(label="Sub-district", max_length=100, help_text="Its name")


def test_a_picker_with_an_error_has_real_attributes_once_each():
    form = AreaForm({"subdistrict": WIANG})
    form.add_error("subdistrict", "Choose it from the list.")
    html = str(form["subdistrict"])
    box, hidden = inputs(html)
    names = [name for name, _ in box]
    assert len(names) == len(set(names)), names  # no attribute twice
    attrs = dict(box)
    assert attrs["type"] == "text" and attrs["role"] == "combobox"
    assert attrs["maxlength"] == "100"
    assert attrs["aria-invalid"] == "true"
    assert attrs["aria-required"] == "true"
    described = attrs["aria-describedby"].split()
    assert "id_subdistrict_chosen" in described and len(described) >= 2
    assert attrs["name"] == "subdistrict_text"
    assert "&quot;" not in html and 'required"' not in attrs["aria-describedby"]
    assert dict(hidden)["name"] == "subdistrict" and dict(hidden)["type"] == "hidden"


def test_a_chosen_value_wins_over_the_text_in_the_box():
    form = AreaForm({"subdistrict": WIANG, "subdistrict_text": "anything"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["subdistrict"] == WIANG


def test_the_text_typed_is_shown_back_and_the_value_stays_empty():
    form = AreaForm({"subdistrict": "", "subdistrict_text": "ไม่มีตำบลนี้"})
    assert not form.is_valid()
    box, hidden = inputs(str(form["subdistrict"]))
    assert dict(box)["value"] == "ไม่มีตำบลนี้"
    assert dict(hidden)["value"] == ""
    widget = AreaForm().fields["subdistrict"].widget
    typed = widget.value_from_datadict({"subdistrict_text": " เวียง "}, {}, "subdistrict")
    assert isinstance(typed, TypedText) and typed == "เวียง"
    assert widget.value_from_datadict({"subdistrict": ""}, {}, "subdistrict") == ""
    assert not widget.value_omitted_from_data({"subdistrict_text": "x"}, {}, "subdistrict")
