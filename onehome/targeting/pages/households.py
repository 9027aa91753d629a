"""Household pages of a run (personal data): the target list with export, a household's
explanation, linking it to the registry, and the year-over-year list.

Every read goes through `results.selectors.household_scope` (personal-data role, the
user's area; otherwise 404) and is audited in `results.target_lists` /
`results.explanations` / `results.year_over_year`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.access.scope import PREFIX_WIDTH, area_scope
from onehome.errors import NotInScopeError, ValidationError
from onehome.targeting.catalogue_files import indicator_measures
from onehome.targeting.pages.forms import CompareForm

# `explanations`, `target_lists` and `registry_links` pull in Ibis, pandas and openpyxl
# (a large share of a worker's memory and start-up: docs/performance.md); they are
# imported where used so that every web worker does not carry them for other pages.
from onehome.targeting.results import selectors
from onehome.targeting.results import year_over_year as yoy
from onehome.targeting.results.failure_groups import failures_by_indicator
from onehome.targeting.results.labels import DIMENSION_LABELS, area_names

PAGE_SIZE = 50


class _Sized:
    """A list of `total` items of which only the current page is loaded (for Paginator)."""

    def __init__(self, rows: list, total: int, offset: int) -> None:
        self.rows, self.total, self.offset = rows, total, offset

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item: slice) -> list:
        return self.rows[item.start - self.offset : item.stop - self.offset]


def _own_area(user) -> str:
    scope = area_scope(user)
    if scope is None or scope[0] not in PREFIX_WIDTH:
        return ""
    return scope[1]


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _area(request) -> str:
    area = request.GET.get("area", "")
    if area and (not area.isdigit() or len(area) not in (2, 4, 6, 8)):
        raise Http404
    return area


@personal_data
@login_required
def target_list(request, run_id: int):
    user = request.user
    area = _area(request)
    only_target = request.GET.get("all") != "1"
    number = _page_number(request)
    try:
        run = selectors.finished_run(run_id)
        offset = (number - 1) * PAGE_SIZE
        from onehome.targeting.results import target_lists  # lazy: see the top of this module

        found = target_lists.target_households(
            user=user, run=run, area=area, only_target=only_target, limit=PAGE_SIZE, offset=offset
        )
    except NotInScopeError:
        raise Http404 from None
    audit.listed(
        user, found.rows, kind="targeting.household", key="household_id", purpose="target list"
    )
    page = Paginator(_Sized(found.rows, found.total, offset), PAGE_SIZE).get_page(number)
    names = area_names(sorted({r["village_code"] for r in found.rows}))
    for row in found.rows:
        row["village_name"] = names.get(row["village_code"], "")
        row["dimension_labels"] = [DIMENSION_LABELS.get(d, d) for d in row["dimensions"]]
    context = {
        "run": run,
        "area": area,
        "area_name": area_names([area]).get(area, "") if area else "",
        "only_target": only_target,
        "page": page,
        "rows": found.rows,
        "total": found.total,
        "total_text": f"{found.total:,}",
        # Without an area, back to the user's own area (the nation for a national scope).
        "back_area": area or _own_area(user),
        "can_link": user.writes_registry,
    }
    return render(request, "targeting/target_list.html", context)


@personal_data
@login_required
def export(request, run_id: int):
    fmt = request.GET.get("format", "csv")
    try:
        run = selectors.finished_run(run_id)
        from onehome.targeting.results import target_lists  # lazy: see the top of this module

        content, content_type, name = target_lists.export_target_list(
            user=request.user,
            run=run,
            area=_area(request),
            fmt=fmt,
            only_target=request.GET.get("all") != "1",
        )
    except NotInScopeError:
        raise Http404 from None
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@personal_data
@login_required
def household(request, run_id: int, household_id: str):
    try:
        from onehome.targeting.results import explanations, registry_links  # lazy: see the top

        reveal = request.GET.get("reveal") == "1"
        result = explanations.household_explanation(
            user=request.user,
            run_id=run_id,
            household_id=household_id,
            purpose="explanation page, reveal id" if reveal else "explanation page",
        )
        run = selectors.finished_run(run_id)
    except NotInScopeError:
        raise Http404 from None
    measures = indicator_measures(run.spec_name)
    people = registry_links.registry_people(request.user, result.person_keys)
    for member in result.members:  # the survey file has no names; the registry may
        member.person = people.get(member.person_key)
    person_of = {m.number: m.person for m in result.members}
    for failure in result.failures:
        failure.person = person_of.get(failure.member)
    context = {
        "run": run,
        "x": result,
        "failures": failures_by_indicator(result.failures, len(result.members), measures),
        "poverty_rule": _poverty_rule(result.k_rule),
        "village_name": area_names([result.village_code]).get(result.village_code, ""),
        "dimension_labels": [DIMENSION_LABELS.get(d, d) for d in result.dimensions],
        "can_link": request.user.writes_registry and result.registry_household_id is None,
        "reveal": reveal,
    }
    return render(request, "targeting/household.html", context)


def _poverty_rule(k_rule: str) -> str:
    if k_rule == "union":
        return _("poor when deprived in any indicator")
    return _("poor when the weighted deprivation score is at least %(k)s") % {"k": k_rule}


@personal_data
@login_required
@require_POST
def link(request, run_id: int, household_id: str):
    try:
        from onehome.targeting.results import registry_links  # lazy: see the top of this module

        linked, created = registry_links.link_household(
            actor=request.user, run_id=run_id, household_id=household_id, purpose="target list"
        )
    except NotInScopeError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return redirect("targeting:household", run_id=run_id, household_id=household_id)
    if created:
        messages.success(request, _("Registry household %(id)s created.") % {"id": linked.pk})
    return redirect("registry:household", pk=linked.pk)


@personal_data
@login_required
def compare_households(request):
    user = request.user
    form = CompareForm(request.GET or None)
    if not form.is_valid():
        raise Http404
    d = form.cleaned_data
    change = request.GET.get("change", "")
    if change not in yoy.CHANGES:
        change = ""
    changes = (change,) if change else ("entered", "left")
    number = _page_number(request)
    try:
        earlier = selectors.finished_run(d["earlier"])
        later = selectors.finished_run(d["later"])
        offset = (number - 1) * PAGE_SIZE
        rows, total = yoy.changed_households(
            user=user,
            earlier=earlier,
            later=later,
            area=d.get("area") or "",
            changes=changes,
            limit=PAGE_SIZE,
            offset=offset,
        )
    except (NotInScopeError, ValidationError):
        raise Http404 from None
    names = area_names(sorted({r["village_code"] for r in rows}))
    for row in rows:
        row["village_name"] = names.get(row["village_code"], "")
        row["change_label"] = yoy.CHANGES[row["change"]]
    area = d.get("area") or ""
    context = {
        "earlier": earlier,
        "later": later,
        "area": area,
        "area_name": area_names([area]).get(area, area) if area else "",
        "rows": rows,
        "total": total,
        "page": Paginator(_Sized(rows, total, offset), PAGE_SIZE).get_page(number),
        "change": change,
        "change_label": yoy.CHANGES[change] if change else _("Entered or left poverty"),
        "changes": yoy.CHANGES,
    }
    return render(request, "targeting/compare_households.html", context)
