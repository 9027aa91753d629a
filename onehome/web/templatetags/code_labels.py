"""Codes into labels, in the page's language: the one place templates turn a stored code
(a risk, a sex, an issue, a role, an audit action, an indicator id, a dimension subset, a
catalogue id) into what people read. Each filter reuses the label that already exists
(model choices, the hotline catalogue, the indicator catalogues) and shows an unknown code
as it is rather than hiding it.

    {% load code_labels %}
    {{ report.risks|risk_labels|join:", " }}  {{ party.sex|sex_label }}
    {{ report.category|issue_label:report.subcategory }}  {{ run.spec_name|catalogue_label }}
    {{ indicator_id|indicator_label:run.spec_name }}  {{ "health+living"|subset_label }}
"""

from collections.abc import Iterable

from django import template
from django.apps import apps

from onehome.access.models import AuditAction, Role
from onehome.cases.intake import catalogue as issues
from onehome.cases.models.reports import Risk
from onehome.registry.models import Sex
from onehome.targeting import catalogue_files
from onehome.targeting.results.labels import DIMENSION_LABELS, catalogue_name

register = template.Library()


def _choice_label(choices, code) -> str:
    if code in (None, ""):
        return ""
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


@register.filter
def risk_label(code: str) -> str:
    return _choice_label(Risk, code)


@register.filter
def risk_labels(codes: Iterable[str] | None) -> list[str]:
    return [risk_label(c) for c in codes or ()]


@register.filter
def sex_label(code: str) -> str:
    return _choice_label(Sex, code)


@register.filter
def role_label(code: str) -> str:
    return _choice_label(Role, code)


@register.filter
def role_labels(codes: Iterable[str] | None) -> list[str]:
    return [role_label(c) for c in codes or ()]


@register.filter
def audit_action_label(code: str) -> str:
    return _choice_label(AuditAction, code)


@register.filter
def object_type_label(object_type: str) -> str:
    """ "cases.report" → the model's name ("report", in the page's language)."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


@register.filter
def issue_label(category: str, subcategory: str = "") -> str:
    """ "Issue: sub-problem" from the hotline catalogue."""
    return issues.label(category, subcategory or "") if category else ""


@register.filter
def dimension_label(code: str) -> str:
    return str(DIMENSION_LABELS.get(code, code))


@register.filter
def subset_label(subset: str | Iterable[str]) -> str:
    """ "health+living" (or a list of dimensions) → "Health + Living conditions"."""
    parts = subset.split("+") if isinstance(subset, str) else list(subset)
    return " + ".join(dimension_label(p) for p in parts if p)


@register.filter
def catalogue_label(name: str) -> str:
    return catalogue_name(name)


@register.filter
def indicator_label(indicator_id: str, spec_name: str) -> str:
    return catalogue_files.indicator_labels(spec_name).get(indicator_id, indicator_id)


@register.filter
def indicator_labels(indicator_ids: Iterable[str] | None, spec_name: str) -> list[str]:
    labels = catalogue_files.indicator_labels(spec_name)
    return [labels.get(i, i) for i in indicator_ids or ()]
