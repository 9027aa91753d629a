"""One combobox for choosing a record by name instead of by code or from a long list: the
area pickers (sub-district, village), the organisation picker and the person picker.

The widget renders a visible text box (role=combobox) and a hidden input carrying the
field's value — the code or id the form and the services already take — plus the label of
the current value. Typing asks a suggestions endpoint (`data-picker-url`) for a listbox
of at most a few dozen options; onehome/web/static/onehome/picker.js does the rest
(arrow keys, Enter, Escape, aria-activedescendant). A value the user did not choose from
the list never reaches the hidden input, so the form's own validation still decides.

Without JavaScript the visible box is still submitted (as ``<name>_text``): when the hidden
value is empty, the widget hands the field a `TypedText` and the picker fields
(`AreaField`, `OrganisationField`, `PersonField`) accept it only when it names exactly one
record — the same records the suggestions would offer — and otherwise ask to choose.

Suggestions endpoints answer `render_options(request, options)`: each option a dict with
`value`, `label` (what the text box shows once chosen), `title` and `detail` (the two
lines of the suggestion) and optionally `parent_value`/`parent_label` (a village also
fills its sub-district picker).
"""

import re
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onehome.geo.picking import area_for_code, area_label, areas_named
from onehome.orgs.models import Organisation
from onehome.orgs.picking import organisation_label, organisations_named, where

MIN_CHARS = 2
TEXT_SUFFIX = "_text"  # the visible box's name: <name>_text


class TypedText(str):
    """What was typed in a picker's box when nothing was chosen from the list (no
    JavaScript); ``within`` is the sub-district a typed village is looked for in."""

    within = ""


def _listed(names: list[str]) -> str:
    return ", ".join(names[:5]) + (", …" if len(names) > 5 else "")


class Picker(forms.Widget):
    """A text box that suggests records by name, storing the chosen one's value.

    ``params`` are added to the suggestions URL (for example the case's area, so that the
    organisations serving it come first); ``within`` names the id of another picker's
    hidden input whose value narrows this one (a village within the chosen sub-district);
    ``parent`` names the picker a suggestion's parent fills; ``suggest`` asks for
    suggestions on focus, before anything is typed."""

    url_name = ""
    placeholder = _("Type a name")
    code_label = ""  # when set, the chosen value is shown under the box after it

    def __init__(
        self,
        attrs=None,
        *,
        params: dict | None = None,
        within: str = "",
        parent: str = "",
        suggest: bool = False,
        placeholder: str | None = None,
    ):
        super().__init__(attrs)
        self.params = dict(params or {})
        self.within = within
        self.parent = parent
        self.suggest = suggest
        if placeholder is not None:
            self.placeholder = placeholder
        self.chosen_label: str | None = None

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.params = dict(self.params)
        return copy

    def label_for(self, value) -> str:
        """The text shown for the current value (subclasses look the record up)."""
        return self.chosen_label or str(value)

    def code_for(self, value) -> str:
        """The small line under the box once a value is chosen (the area code)."""
        return f"{self.code_label} {value}" if self.code_label else ""

    def url(self) -> str:
        params = {k: v for k, v in self.params.items() if v not in (None, "")}
        query = urlencode(params)
        return reverse(self.url_name) + (f"?{query}" if query else "")

    def format_value(self, value):
        return "" if value is None else str(value)

    def id_for_label(self, id_):
        return id_

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        box_id = attrs.pop("id", None) or f"id_{name}"
        for key in [k for k in attrs if k.startswith("hx-")]:
            attrs.pop(key)  # inline validation posts on blur; a picker validates on choosing
        typed = value if isinstance(value, TypedText) else None
        value = "" if typed is not None else self.format_value(value)
        label = str(typed) if typed is not None else (self.label_for(value) if value else "")
        code = self.code_for(value) if value else ""
        css = attrs.pop("class", "form-control")
        required = attrs.pop("required", False)
        described = " ".join(filter(None, [f"{box_id}_chosen", attrs.pop("aria-describedby", "")]))
        extra = {
            key: val
            for key, val in attrs.items()
            if val not in (None, False) and key not in {"type", "name", "value"}
        }
        if required:
            extra["aria-required"] = "true"
        return format_html(
            '<div class="picker" data-picker data-picker-url="{url}" data-picker-min="{min}"'
            ' data-picker-within="{within}" data-picker-parent="{parent}"'
            ' data-picker-code-label="{code_label}"{suggest}>'
            '<input type="text" name="{text_name}" id="{id}" class="{css}" role="combobox"'
            ' autocomplete="off" aria-autocomplete="list" aria-expanded="false"'
            ' aria-controls="{id}_list" aria-describedby="{described}"'
            ' placeholder="{placeholder}" value="{label}" data-picker-box{extra}>'
            '<input type="hidden" name="{name}" id="{id}_value" value="{value}"'
            " data-picker-value>"
            '<ul class="picker-list list-group" id="{id}_list" role="listbox" hidden'
            ' aria-label="{list_label}"></ul>'
            '<div class="form-text picker-chosen" id="{id}_chosen" data-picker-code'
            ' aria-live="polite">{code}</div>'
            "</div>",
            url=self.url(),
            min=MIN_CHARS,
            within=self.within,
            parent=self.parent,
            code_label=self.code_label,
            suggest=" data-picker-suggest" if self.suggest else "",
            text_name=name + TEXT_SUFFIX,
            id=box_id,
            css=css,
            described=described,
            placeholder=self.placeholder,
            label=label,
            extra=flatatt(extra),
            name=name,
            value=value,
            list_label=_("Suggestions"),
            code=code,
        )

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value not in (None, ""):
            return value
        text = (data.get(name + TEXT_SUFFIX) or "").strip()
        return self.typed(text, data, name) if text else value

    def typed(self, text: str, data, name: str) -> TypedText:
        return TypedText(text)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + TEXT_SUFFIX not in data


class AreaPicker(Picker):
    """A sub-district (6-digit code) or a village (8 digits), chosen by name; with
    level "area", a province, district or sub-district (2, 4 or 6 digits)."""

    url_name = "geo:pick"
    placeholder = _("Type the name of the sub-district, district or province")
    code_label = _("Code")

    def __init__(self, *args, level: str = "subdistrict", placeholder=None, **kwargs):
        super().__init__(*args, placeholder=placeholder, **kwargs)
        self.level = level
        self.params.setdefault("level", level)
        if level == "village":
            self.placeholder = _("Type the village name or number")
        elif level == "area" and placeholder is None:
            self.placeholder = _("Type a province, district or sub-district")

    def label_for(self, value) -> str:
        area = area_for_code(str(value), self.level)
        return area_label(area) if area else str(value)

    def typed(self, text: str, data, name: str) -> TypedText:
        """A typed village is looked for in the sub-district chosen (or typed) next to it,
        or in the one the view gave (``params["within"]``)."""
        typed = TypedText(text)
        if self.level == "village":
            within = self.params.get("within") or ""
            parent = re.fullmatch(r"id_(.+)_value", self.within or "")
            if not within and parent:
                within = (data.get(parent[1]) or "").strip()
                if not within:
                    areas = areas_named(data.get(parent[1] + TEXT_SUFFIX) or "", "subdistrict")
                    within = areas[0].code if len(areas) == 1 else ""
            typed.within = within
        return typed


class OrganisationPicker(Picker):
    """An organisation of the directory, chosen by name; its district and kind shown."""

    url_name = "orgs:pick"
    placeholder = _("Type part of the organisation's name")

    def label_for(self, value) -> str:
        return organisation_label(value) or str(value)


class PersonPicker(Picker):
    """A person of the registry, chosen by name or national ID. The label of a chosen
    person is set by the view (`chosen_label`), which reads them through the scope."""

    url_name = "registry:pick"
    placeholder = _("Name or national ID")

    def label_for(self, value) -> str:
        return self.chosen_label or f"#{value}"


def render_options(request, options: list[dict]):
    """The suggestions listbox's options (onehome/templates/pickers/_options.html)."""
    return render(request, "pickers/_options.html", {"options": options})


def organisation_field(label, *, purpose: str, required: bool = True, **widget_kwargs):
    """A ModelChoiceField of organisations chosen with the `OrganisationPicker` for one of
    the purposes of `onehome.orgs.picking.choosable`. The form still sets its queryset,
    which validates the choice; its __init__ adds the case's area (`widget.params`) to
    rank the suggestions."""
    message = _("Type part of the organisation's name and choose it from the list.")
    return OrganisationField(
        label=label,
        queryset=Organisation.objects.none(),
        required=required,
        widget=OrganisationPicker(params={"purpose": purpose}, suggest=True, **widget_kwargs),
        error_messages={"required": message, "invalid_choice": message},
    )


class AreaField(forms.CharField):
    """The code of a sub-district or village (level "area": a province, district or
    sub-district) chosen with an `AreaPicker`; a typed name or code (no JavaScript) is
    accepted when exactly one area has it."""

    def __init__(self, *, level: str = "subdistrict", widget=None, **kwargs):
        self.level = level
        super().__init__(widget=widget or AreaPicker(level=level), **kwargs)

    def to_python(self, value):
        if isinstance(value, TypedText):
            value = self.resolve(value)
        return super().to_python(value)

    def resolve(self, typed: TypedText) -> str:
        areas = areas_named(typed, self.level, within=typed.within)
        if len(areas) == 1:
            return areas[0].code
        if not areas:
            if self.level == "village":  # the messages of `registry.forms.area_code_error`
                message = _("Type the village's name or number and choose it from the list.")
            elif self.level == "area":
                message = _(
                    "Type the name of the province, district or sub-district"
                    " and choose it from the list."
                )
            else:
                message = _("Type the sub-district's name and choose it from the list.")
            raise ValidationError(message, code="invalid_choice")
        raise ValidationError(
            ngettext(
                "%(count)d area is called “%(text)s” (%(names)s). Choose one from the list.",
                "%(count)d areas are called “%(text)s” (%(names)s). Choose one from the list.",
                len(areas),
            ),
            code="invalid_choice",
            params={
                "count": len(areas),
                "text": typed,
                "names": _listed([area_label(a) for a in areas]),
            },
        )


class OrganisationField(forms.ModelChoiceField):
    """An organisation of the form's queryset chosen with the `OrganisationPicker`; a
    typed name (no JavaScript) is accepted when exactly one of the queryset has it."""

    def to_python(self, value):
        if isinstance(value, TypedText):
            value = self.resolve(value)
        return super().to_python(value)

    def resolve(self, typed: TypedText):
        orgs = organisations_named(typed, self.queryset)
        if len(orgs) == 1:
            return orgs[0].pk
        if not orgs:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        names = [f"{o.name_th} ({where(o)})" if where(o) else o.name_th for o in orgs]
        raise ValidationError(
            ngettext(
                "%(count)d organisation is called “%(text)s” (%(names)s). Choose from the list.",
                "%(count)d organisations are called “%(text)s” (%(names)s). Choose from the list.",
                len(orgs),
            ),
            code="invalid_choice",
            params={"count": len(orgs), "text": typed, "names": _listed(names)},
        )


class PersonField(forms.IntegerField):
    """The id of a person chosen with the `PersonPicker`. A typed national ID (13 digits)
    or full name (no JavaScript) is accepted when exactly one person in ``user``'s scope
    has it; the form (or view) sets ``user``. Without a user nothing typed is accepted."""

    def __init__(self, *, widget=None, **kwargs):
        self.user = None
        super().__init__(widget=widget or PersonPicker(), min_value=1, **kwargs)

    def to_python(self, value):
        if isinstance(value, TypedText):
            value = self.resolve(value)
        return super().to_python(value)

    def resolve(self, typed: TypedText) -> int:
        from onehome.registry.picking import people_named  # registry imports pickers

        people = people_named(self.user, typed) if self.user is not None else []
        if len(people) == 1:
            return people[0].pk
        if not people:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        raise ValidationError(
            ngettext(
                "%(count)d person is called “%(text)s”. Type the national ID.",
                "%(count)d people are called “%(text)s”. Type the national ID.",
                len(people),
            ),
            code="invalid",
            params={"count": len(people), "text": typed},
        )
