"""Assignment pages: bulk from a target list (choose → preview → confirm), one household
(assign, reassign, unassign, its history), a case's household, a volunteer's households,
and the coverage of a target list per area. Thin: resolve and authorise, call one service,
come back with a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.access.roles import Action, may
from onehome.cases.service_messages import service_errors_shown, show_error
from onehome.cases.visibility.selectors import visible_cases
from onehome.errors import NotInScopeError, ValidationError
from onehome.targeting.results.labels import area_names
from onehome.volunteers.assignments import selectors, services
from onehome.volunteers.assignments.coverage import coverage
from onehome.volunteers.assignments.forms import (
    ConfirmBulkForm,
    EndForm,
    RunAreaForm,
    VolunteerForm,
    run_choices,
)

ASSIGN = Action.ASSIGN_HOUSEHOLDS


def _assigner_only(user) -> None:
    if not may(user, ASSIGN):
        raise Http404


def _run_area_form(request, *, level: str) -> RunAreaForm:
    """The run-and-area form; with nothing asked yet, filled with the newest finished run
    and the user's own area (when it is of the page's level), so the page shows figures at
    once instead of an empty form."""
    if request.GET:
        return RunAreaForm(request.GET, level=level)
    choices = run_choices()
    user = request.user
    fits = user.scope_level == "subdistrict" or (
        level == "area" and user.scope_level in ("district", "province")
    )
    area = user.scope_code if fits else ""
    if choices and area:
        return RunAreaForm({"run": choices[0][0], "area": area}, level=level)
    return RunAreaForm(initial={"run": choices[0][0] if choices else None}, level=level)


def _name_villages(rows) -> None:
    """Give each preview row its village's name (the page shows names, not codes)."""
    names = area_names(sorted({r.village_code for r in rows if r.village_code}))
    for r in rows:
        r.village_name = names.get(r.village_code) or r.village_code[6:]


def _bulk_url(run_id, area: str) -> str:
    return reverse("volunteers:assignments_bulk") + "?" + urlencode({"run": run_id, "area": area})


@personal_data
@login_required
def assignments_bulk(request):
    """Choose a run and a sub-district, see who would get which household, confirm."""
    user = request.user
    _assigner_only(user)
    if request.method == "POST":
        confirm = ConfirmBulkForm(request.POST)
        if not confirm.is_valid():  # a tampered or truncated form: nothing to confirm
            messages.error(request, _("The preview was incomplete. Preview again."))
            context = {"form": RunAreaForm(level="subdistrict"), "plan": None, "confirm": None}
            return render(request, "volunteers/assignments/bulk.html", context, status=400)
        d = confirm.cleaned_data
        try:
            result = services.confirm_bulk_assignment(
                actor=user, run_id=d["run"], subdistrict=d["area"], token=d["token"]
            )
        except NotInScopeError:
            raise Http404 from None
        except ValidationError as exc:
            show_error(request, exc)
        else:
            if result.repeated:
                messages.info(
                    request, _("This preview was confirmed already; nothing more was assigned.")
                )
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d household was assigned to volunteers.",
                        "%(n)d households were assigned to volunteers.",
                        result.assigned,
                    )
                    % {"n": result.assigned},
                )
        return redirect(_bulk_url(d["run"], d["area"]))
    form = _run_area_form(request, level="subdistrict")
    plan = None
    if form.is_bound and form.is_valid():
        try:
            plan = services.plan_bulk_assignment(
                actor=user, run_id=form.cleaned_data["run"], subdistrict=form.cleaned_data["area"]
            )
        except NotInScopeError:
            form.add_error("area", _("Choose a sub-district of your area."))
        else:
            _name_villages(plan.rows)
            audit.record_list(
                actor=user,
                object_type="registry.household",
                ids=[r.household_id for r in plan.rows if r.household_id],
                purpose=audit.current_purpose("bulk assignment preview"),
                subdistrict_code=plan.subdistrict.code,
            )
    confirm = None
    if plan is not None:
        confirm = ConfirmBulkForm(
            initial={"run": plan.run.pk, "area": plan.subdistrict.code, "token": plan.token}
        )
    return render(
        request,
        "volunteers/assignments/bulk.html",
        {"form": form, "plan": plan, "confirm": confirm},
    )


def _household_context(request, household, **forms):
    user = request.user
    history = audit.listed(
        user,
        selectors.assignment_history(user=user, household_id=household.pk),
        kind="volunteers.assignment",
        purpose="household assignments",
    )
    current = next((a for a in history if a.is_open), None)
    slots = selectors.volunteers_to_assign(user=user, subdistrict=household.subdistrict_id)
    return {
        "household": household,
        "history": history,
        "current": current,
        "assign_form": forms.get("assign_form") or VolunteerForm(slots=slots),
        "reassign_form": forms.get("reassign_form") or VolunteerForm(slots=slots, reason=True),
        "end_form": forms.get("end_form") or EndForm(),
        "may_assign": may(user, ASSIGN),
        "no_volunteers": not slots,
    }


def _household(request, pk: int):
    if not may(request.user, Action.READ_VOLUNTEERS):
        raise Http404
    return selectors.household_for_work_or_404(user=request.user, pk=pk)


@personal_data
@login_required
def assignments_household(request, pk: int):
    """A household's volunteer now and before, with the forms to change it."""
    household = _household(request, pk)
    return render(
        request, "volunteers/assignments/household.html", _household_context(request, household)
    )


def _volunteer_post(request, pk: int, *, reassign: bool):
    """Assign the household to the chosen volunteer, or reassign it with a reason; back to
    the household's page, or the page again with the form's errors."""
    _assigner_only(request.user)
    household = _household(request, pk)
    slots = selectors.volunteers_to_assign(user=request.user, subdistrict=household.subdistrict_id)
    form = VolunteerForm(request.POST, slots=slots, reason=reassign)
    if not form.is_valid():
        key = "reassign_form" if reassign else "assign_form"
        context = _household_context(request, household, **{key: form})
        return render(request, "volunteers/assignments/household.html", context)
    chosen = {"actor": request.user, "household_id": household.pk,
              "volunteer_id": form.cleaned_data["volunteer"]}  # fmt: skip
    with service_errors_shown(request) as outcome:
        if reassign:
            services.reassign_household(**chosen, reason=form.cleaned_data["reason"])
        else:
            services.assign_household(**chosen)
    if outcome.ok:
        messages.success(
            request,
            _("The household was reassigned.") if reassign else _("The household was assigned."),
        )
    return redirect("volunteers:assignments_household", pk=household.pk)


@personal_data
@login_required
@require_POST
def assignments_assign(request, pk: int):
    return _volunteer_post(request, pk, reassign=False)


@personal_data
@login_required
@require_POST
def assignments_reassign(request, pk: int):
    return _volunteer_post(request, pk, reassign=True)


@personal_data
@login_required
@require_POST
def assignments_end(request, pk: int):
    """Unassign: end an assignment (its id) with a reason."""
    _assigner_only(request.user)
    assignment = selectors.assignment_in_scope_or_404(user=request.user, pk=pk)
    form = EndForm(request.POST)
    if form.is_valid():
        with service_errors_shown(request) as outcome:
            services.end_assignment(
                actor=request.user, assignment_id=assignment.pk, reason=form.cleaned_data["reason"]
            )
        if outcome.ok:
            messages.success(request, _("The household was taken from its volunteer."))
        return redirect("volunteers:assignments_household", pk=assignment.household_id)
    context = _household_context(request, assignment.household, end_form=form)
    return render(request, "volunteers/assignments/household.html", context)


@personal_data
@login_required
def assignments_case(request, pk: int):
    """Give a case's household to a volunteer (chosen, or by village and load)."""
    user = request.user
    _assigner_only(user)
    case = visible_cases(user).select_related("household").filter(pk=pk).first()
    if case is None:
        raise Http404
    slots = []
    if case.household is not None:
        slots = selectors.volunteers_to_assign(user=user, subdistrict=case.household.subdistrict_id)
    form = VolunteerForm(request.POST or None, slots=slots, optional=True)
    if request.method == "POST" and form.is_valid():
        with service_errors_shown(request) as outcome:
            assignment = services.assign_from_case(
                actor=user, case_id=case.pk, volunteer_id=form.cleaned_data["volunteer"]
            )
        if outcome.ok:
            messages.success(
                request,
                _("The household was assigned to %(name)s.") % {"name": assignment.volunteer},
            )
            return redirect("volunteers:assignments_household", pk=assignment.household_id)
    current = None
    if case.household is not None:
        current = services.open_assignment(case.household)
    return render(
        request,
        "volunteers/assignments/case.html",
        {"case": case, "form": form, "current": current, "no_volunteers": not slots},
    )


@personal_data
@login_required
def assignments_volunteer(request, pk: int):
    """A volunteer's open households (their load)."""
    user = request.user
    if not may(user, Action.READ_VOLUNTEERS):
        raise Http404
    volunteer, rows = selectors.volunteer_households(user=user, volunteer_id=pk)
    rows = audit.listed(user, rows, kind="volunteers.assignment", purpose="volunteer households")
    return render(
        request, "volunteers/assignments/volunteer.html", {"volunteer": volunteer, "rows": rows}
    )


@personal_data
@login_required
def assignments_coverage(request):
    """Target households with and without a volunteer, per area under the chosen one."""
    user = request.user
    if not may(user, Action.READ_VOLUNTEERS):
        raise Http404
    form = _run_area_form(request, level="area")
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = coverage(
                user=user, run_id=form.cleaned_data["run"], area=form.cleaned_data["area"]
            )
        except NotInScopeError:
            form.add_error("area", _("Choose an area of your own."))
    bars = []
    if result is not None:
        run_id = result.run.pk
        for row in result.rows:
            url = ""
            if len(row.code) < 8:
                url = (
                    reverse("volunteers:assignments_coverage")
                    + "?"
                    + urlencode({"run": run_id, "area": row.code})
                )
            bars.append(
                {
                    "label": row.name,
                    "value": row.share,
                    "url": url,
                    "note": _("%(with)d of %(all)d")
                    % {"with": row.with_volunteer, "all": row.targets},
                }
            )
    return render(
        request,
        "volunteers/assignments/coverage.html",
        {"form": form, "result": result, "bars": bars},
    )
