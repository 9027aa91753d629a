"""The volunteer pages for staff (the list of their area with counts per status, a
volunteer's record with its steps, trainings, awards, login and assigned households, new
and edit forms, clubs) and "my record" for a volunteer signed in. Thin: resolve the record
through the scope (404 outside it), call one service, show its refusal as a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import no_personal_data, personal_data
from onehome.access.roles import Action, may
from onehome.cases.form_base import apply_service_error
from onehome.cases.service_messages import service_errors_shown
from onehome.errors import DuplicateError, NotInScopeError, StaleVersionError, ValidationError
from onehome.registry.picker_views import person_label
from onehome.volunteers.models import Volunteer, VolunteerStatus
from onehome.volunteers.roster import logins, selectors, services, statuses
from onehome.volunteers.roster.forms import (
    OUTSIDE_AREA,
    AwardForm,
    ClubForm,
    EditVolunteerForm,
    FilterForm,
    LoginForm,
    NewVolunteerForm,
    StepForm,
    TrainingForm,
)

PAGE_SIZE = 25


def _reader_only(user) -> None:
    if not may(user, Action.READ_VOLUNTEERS):
        raise Http404


def _manager_only(user) -> None:
    if not may(user, Action.MANAGE_VOLUNTEERS):
        raise Http404


def _volunteer_or_404(user, pk: int) -> Volunteer:
    try:
        return selectors.volunteer_in_scope(user, pk)
    except Volunteer.DoesNotExist:
        raise Http404 from None


def _status_bars(request, counts: dict[str, int]) -> list[dict]:
    """One bar per status, each a link to the list narrowed to it (the other filters kept)."""
    query = request.GET.copy()
    query.pop("page", None)
    bars = []
    for status, n in counts.items():
        query["status"] = status
        bars.append(
            {"label": VolunteerStatus(status).label, "value": n, "url": f"?{query.urlencode()}"}
        )
    return bars


@personal_data
@login_required
def roster_list(request):
    user = request.user
    _reader_only(user)
    clubs = selectors.clubs_in_scope(user)
    form = FilterForm(request.GET or None, clubs=clubs)
    data = form.cleaned_data if form.is_valid() else {}
    in_area = selectors.filter_volunteers(
        selectors.volunteers_in_scope(user), area=data.get("area"), text=data.get("q"),
        club=data["club"].pk if data.get("club") else None,
    )  # fmt: skip
    counts = selectors.counts_by_status(in_area)
    rows = selectors.filter_volunteers(in_area, status=data.get("status"))
    rows = rows.select_related("person", "subdistrict", "club").order_by("subdistrict_id", "pk")
    page = audit.audited_page(
        user, rows, request.GET.get("page"), per_page=PAGE_SIZE, kind="volunteers.volunteer",
        purpose="volunteer list",
    )  # fmt: skip
    return render(
        request,
        "volunteers/roster/list.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "total": sum(counts.values()),
            "bars": _status_bars(request, counts),
            "can_manage": may(user, Action.MANAGE_VOLUNTEERS),
        },
    )


def _record_context(user, volunteer: Volunteer) -> dict:
    households = list(selectors.open_assignments(volunteer))
    audit.record_shown(
        user,
        {
            "volunteers.volunteer": [volunteer],
            "registry.household": [a.household for a in households],
        },
        purpose="volunteer record",
    )
    return {
        "v": volunteer,
        "villages": list(volunteer.villages.all()),
        "trainings": list(volunteer.trainings.all()),
        "awards": list(volunteer.awards.all()),
        "assignments": households,
    }


@personal_data
@login_required
def roster_detail(request, pk: int):
    user = request.user
    _reader_only(user)
    volunteer = _volunteer_or_404(user, pk)
    initial = {"version": volunteer.version}
    context = _record_context(user, volunteer)
    can_manage = (
        may(user, Action.MANAGE_VOLUNTEERS)
        and selectors.volunteers_to_manage(user).filter(pk=pk).exists()
    )
    context.update(
        can_manage=can_manage,
        moves=statuses.VOLUNTEERS.allowed_next(volunteer, user) if can_manage else [],
        step_form=StepForm(initial=initial),
        training_form=TrainingForm(),
        award_form=AwardForm(),
        login_form=LoginForm(initial=initial),
    )
    return render(request, "volunteers/roster/detail.html", context)


@personal_data
@login_required
def roster_mine(request):
    """A volunteer's own record ("my record"), read-only."""
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None:
        return render(request, "volunteers/roster/mine_missing.html")
    context = _record_context(request.user, volunteer)
    return render(request, "volunteers/roster/detail.html", {**context, "mine": True})


def _chosen_person_label(user, form) -> None:
    """Show the chosen person's name in the picker again after a refusal (through the scope)."""
    value = form.data.get("person") if form.is_bound else None
    if value and str(value).isdigit() and len(str(value)) < 12:
        person = selectors.chosen_person(user, int(value))
        if person is not None:
            form.fields["person"].widget.chosen_label = person_label(person)


def _saved(form, call) -> Volunteer | None:
    """Call the service with the form's values; a refusal goes on the form."""
    try:
        return call(form.record_values())
    except ValidationError as exc:
        apply_service_error(form, exc)
    except (StaleVersionError, DuplicateError) as exc:
        form.add_error(None, str(exc))
    except NotInScopeError:  # the view found the record in the area: the sub-district is not
        form.add_error("subdistrict", OUTSIDE_AREA)
    return None


@personal_data
@login_required
def roster_new(request):
    user = request.user
    _manager_only(user)
    clubs = selectors.clubs_in_scope(user)
    form = NewVolunteerForm(request.POST or None, user=user, clubs=clubs)
    if request.method == "POST" and form.is_valid():
        form.show_villages(form.cleaned_data["subdistrict"])
        made = _saved(
            form,
            lambda values: services.register_volunteer(
                actor=user, person_id=form.cleaned_data["person"], **values
            ),
        )
        if made is not None:
            messages.success(request, _("Volunteer registered as a candidate."))
            return redirect("volunteers:roster_detail", pk=made.pk)
    _chosen_person_label(user, form)
    return render(request, "volunteers/roster/form.html", {"form": form, "new": True})


@personal_data
@login_required
def roster_edit(request, pk: int):
    user = request.user
    _manager_only(user)
    volunteer = _volunteer_or_404(user, pk)
    initial = {
        "subdistrict": volunteer.subdistrict_id,
        "villages": [v.code for v in volunteer.villages.all()],
        "centre": volunteer.centre_id,
        "club": volunteer.club_id,
        "appointed_on": volunteer.appointed_on,
        "term_ends_on": volunteer.term_ends_on,
        "phone": volunteer.phone,
        "version": volunteer.version,
    }
    clubs = selectors.clubs_in_scope(user)
    form = EditVolunteerForm(request.POST or None, initial=initial, user=user, clubs=clubs)
    if request.method == "POST" and form.is_valid():
        form.show_villages(form.cleaned_data["subdistrict"])
        saved = _saved(
            form,
            lambda values: services.update_volunteer(
                actor=user, volunteer_id=volunteer.pk, version=form.cleaned_data["version"],
                **values,
            ),
        )  # fmt: skip
        if saved is not None:
            messages.success(request, _("Volunteer record saved."))
            return redirect("volunteers:roster_detail", pk=volunteer.pk)
    return render(request, "volunteers/roster/form.html", {"form": form, "v": volunteer})


def _form_errors_shown(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}: {e}" if label else e)


def _post_on_record(request, pk: int, form, call, done):
    """The path of every form of the record page: 404 outside the area, the form's shape,
    one service, back to the record with a message."""
    _manager_only(request.user)
    volunteer = _volunteer_or_404(request.user, pk)
    if not form.is_valid():
        _form_errors_shown(request, form)
        return redirect("volunteers:roster_detail", pk=volunteer.pk)
    with service_errors_shown(request) as outcome:
        result = call(volunteer, form.cleaned_data)
    if outcome.ok:
        messages.success(request, done(result) if callable(done) else done)
    return redirect("volunteers:roster_detail", pk=volunteer.pk)


def _left_message(volunteer: Volunteer) -> str:
    """What leaving did and did not do, in words."""
    after = statuses.leave_consequences(volunteer)
    parts = [_("The volunteer has left.")]
    if after.login_closed:
        parts.append(_("Their login %(u)s was deactivated.") % {"u": after.login_closed})
    elif after.login_kept:
        parts.append(
            _("Their login %(u)s has other roles and was left active.") % {"u": after.login_kept}
        )
    if after.households_assigned:
        parts.append(
            ngettext(
                "%(n)d household is still assigned to them: assign it to another volunteer.",
                "%(n)d households are still assigned to them: assign them to another volunteer.",
                after.households_assigned,
            )
            % {"n": after.households_assigned}
        )
    return " ".join(parts)


@personal_data
@login_required
@require_POST
def roster_step(request, pk: int, to_status: str):
    if to_status not in VolunteerStatus.values:
        raise Http404

    def call(volunteer, d):
        return statuses.move_volunteer(
            actor=request.user, volunteer_id=volunteer.pk, to_status=to_status,
            version=d["version"], reason=d.get("reason", ""),
            appointed_on=d.get("appointed_on"), term_ends_on=d.get("term_ends_on"),
        )  # fmt: skip

    def done(volunteer):
        if volunteer.status == VolunteerStatus.LEFT:
            return _left_message(volunteer)
        return _("Status changed to “%(s)s”.") % {"s": volunteer.get_status_display()}

    return _post_on_record(request, pk, StepForm(request.POST), call, done)


def _record_service(request, pk: int, form, service, done):
    """A form of the record page whose service takes the volunteer and the form's fields as
    they are (a training, an award, a login)."""

    def call(volunteer, d):
        return service(actor=request.user, volunteer_id=volunteer.pk, **d)

    return _post_on_record(request, pk, form, call, done)


@personal_data
@login_required
@require_POST
def roster_training(request, pk: int):
    form = TrainingForm(request.POST)
    return _record_service(request, pk, form, services.record_training, _("Training recorded."))


@personal_data
@login_required
@require_POST
def roster_award(request, pk: int):
    form = AwardForm(request.POST)
    return _record_service(request, pk, form, services.record_award, _("Award recorded."))


@personal_data
@login_required
@require_POST
def roster_login(request, pk: int):
    def done(login):
        return _("Login %(u)s tied to the record.") % {"u": login.username}

    return _record_service(request, pk, LoginForm(request.POST), logins.tie_login, done)


@no_personal_data  # club names and how many members each has
@login_required
def roster_clubs(request):
    """The clubs of the user's area with their members counted, and a new one."""
    user = request.user
    _reader_only(user)
    form = ClubForm(request.POST or None, user=user)
    if request.method == "POST":
        _manager_only(user)
        if form.is_valid():
            try:
                services.create_club(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_error(form, exc)
            except NotInScopeError:  # the user may keep clubs: the sub-district is outside
                form.add_error("subdistrict", OUTSIDE_AREA)
            else:
                messages.success(request, _("Club created."))
                return redirect("volunteers:roster_clubs")
    clubs = selectors.clubs_with_members(user)
    return render(
        request,
        "volunteers/roster/clubs.html",
        {"clubs": clubs, "form": form, "can_manage": may(user, Action.MANAGE_VOLUNTEERS)},
    )
