"""Area pages of a finished run: nation → province → district → sub-district → village
(`results.area_report`), and the year-over-year counts (`results.comparison_report`).

Aggregates only: no household appears here; the reports suppress small cells for users
without personal-data roles. Thin: parse, call, render.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from onehome.access.policy import no_personal_data
from onehome.errors import NotInScopeError, ValidationError
from onehome.targeting.pages.forms import CompareForm
from onehome.targeting.permissions import require_reader
from onehome.targeting.results import selectors
from onehome.targeting.results import year_over_year as yoy
from onehome.targeting.results.area_export import export_area_figures
from onehome.targeting.results.area_report import area_report
from onehome.targeting.results.comparison_report import comparison_report
from onehome.targeting.runs.selectors import done_runs


@no_personal_data
@login_required
def area(request, run_id: int, code: str = ""):
    user = request.user
    require_reader(user)
    try:
        context = area_report(user=user, run_id=run_id, code=code)
    except NotInScopeError:
        raise Http404 from None
    return render(request, "targeting/area.html", context)


@no_personal_data
@login_required
def export(request, run_id: int, code: str = ""):
    """The area's figures and those of the areas under it as CSV, withheld as on the page."""
    user = request.user
    require_reader(user)
    try:
        run = selectors.finished_run(run_id)
        content, content_type, name = export_area_figures(user=user, run=run, code=code)
    except NotInScopeError:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@no_personal_data
@login_required
def compare(request):
    """Year over year: households that entered or left poverty, per area (counts)."""
    user = request.user
    require_reader(user)
    form = CompareForm(request.GET or None)
    result, error = None, None
    if form.is_valid():
        d = form.cleaned_data
        try:
            earlier = selectors.finished_run(d["earlier"])
            later = selectors.finished_run(d["later"])
            result = yoy.compare_runs(earlier=earlier, later=later, area=d.get("area") or "")
        except ValidationError as exc:
            error = " ".join(str(m) for m in exc.messages)
        except NotInScopeError:
            raise Http404 from None
    context = {
        "form": form,
        "error": error,
        **comparison_report(user=user, result=result),
        "runs": done_runs()[:50],
    }
    return render(request, "targeting/compare.html", context)
