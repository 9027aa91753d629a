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
from django.utils.translation import gettext_lazy

from onehome.access.audit import LIST
from onehome.access.models import AuditAction, Role
from onehome.cases.intake import catalogue as issues
from onehome.cases.models.reports import Risk
from onehome.geo import picking
from onehome.registry.models import Sex
from onehome.targeting import catalogue_files
from onehome.targeting.results.labels import DIMENSION_LABELS, catalogue_name, round_label

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


# Kinds of audit records that are not models, and models whose own name has no Thai (the
# model's verbose name is used for the rest).
RECORD_KINDS = {
    "page": gettext_lazy("Page of records"),
    "signin": gettext_lazy("Sign-in"),
    "demo": gettext_lazy("Demo data"),
    "knox.authtoken": gettext_lazy("API token"),
    "access.auditevent": gettext_lazy("Audit log"),
    "registry.membership": gettext_lazy("Household membership"),
    "registry.personmerge": gettext_lazy("Merge of person records"),
    "cases.case": gettext_lazy("Case"),
    "cases.report": gettext_lazy("Report"),
    "cases.party": gettext_lazy("Person in a report"),
    "cases.caseworker": gettext_lazy("Case assignment"),
    "cases.caseevent": gettext_lazy("Case timeline entry"),
    "cases.stockitem": gettext_lazy("Stock item"),
    "cases.stock": gettext_lazy("Stock"),
    "cases.stockmove": gettext_lazy("Stock movement"),
    "cases.service": gettext_lazy("Service"),
    "cases.payment": gettext_lazy("Payment"),
    "cases.glassbreak": gettext_lazy("Emergency access to a sensitive case"),
    "cases.assessment": gettext_lazy("Assessment"),
    "cases.plangoal": gettext_lazy("Plan goal"),
    "cases.referral": gettext_lazy("Referral"),
    "cases.notification": gettext_lazy("Case notification"),
    "notifications.notification": gettext_lazy("Notification"),
    "privacy.anonymisedrecord": gettext_lazy("Anonymised record"),
    "privacy.retention": gettext_lazy("Retention of personal data"),
    "targeting.targetlist": gettext_lazy("Target list export"),
    "targeting.household": gettext_lazy("Survey household"),
    "targeting.surveyhousehold": gettext_lazy("Survey household"),
    "targeting.yoy": gettext_lazy("Households entering or leaving poverty"),
    "targeting.householdlink": gettext_lazy("Survey household linked to the registry"),
}


@register.filter
def object_type_label(object_type: str) -> str:
    """ "cases.report" → what the record is, in the page's language ("การแจ้งเหตุ")."""
    if object_type in RECORD_KINDS:
        return str(RECORD_KINDS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


# Audit rows of several records at once: what the row's id stands for.
RECORD_GROUPS = {
    LIST: gettext_lazy("list of records"),
    "search": gettext_lazy("search results"),
    "documents": gettext_lazy("look-up by identity document"),
}


@register.filter
def object_id_label(object_id: str) -> str:
    """An audit row's record id as shown: "#12", or what a row of several records is."""
    if object_id in RECORD_GROUPS:
        return str(RECORD_GROUPS[object_id])
    return f"#{object_id}" if object_id else ""


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


@register.filter
def survey_round_label(survey_round) -> str:
    """A survey round as people name it ("รอบสำรวจ จปฐ. ปี 2568")."""
    return round_label(survey_round)


@register.filter
def area_label(area) -> str:
    """A sub-district or village by name with its parents ("ตำบลเวียง › อำเภอเมืองเชียงราย
    › จังหวัดเชียงราย"), not by its code: many sub-districts share a name."""
    return picking.area_label(area) if area is not None else ""
