"""Pages of home visits: the visit form (a volunteer's or staff's), a visit, a
household's family record book with each dimension over time, the help request form and
the list of help requests. Thin: resolve the household (404 outside the user's
households), then the form's shape, then one service call; every action ends with a
message saying what happened."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.access.roles import Action, may
from onehome.cases.service_messages import service_errors_shown
from onehome.core import thai_dates
from onehome.errors import NotInScopeError
from onehome.volunteers.models import HelpKind
from onehome.volunteers.visits import questionnaire, selectors, services
from onehome.volunteers.visits.forms import HelpRequestForm, VisitForm
from onehome.volunteers.visits.services import household_to_visit


def _household_to_visit(user, pk):
    try:
        return household_to_visit(user, pk)
    except NotInScopeError:
        raise Http404 from None


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}: {e}" if label else e)


def _help_client_id(visit_client_id: uuid.UUID) -> uuid.UUID:
    # The help request asked on the visit form replays with its visit: its id is made from
    # the visit's, so a resubmitted form finds both.
    return uuid.uuid5(visit_client_id, "help")


def _help_done(help_request) -> str:
    text = _("Help request %(ref)s sent to %(unit)s.") % {
        "ref": help_request.report.reference,
        "unit": help_request.report.routed_to or _("the responsible unit"),
    }
    if help_request.kind != HelpKind.HELP:
        text += " " + _(
            "It becomes a service awaiting approval when the report is opened as a case."
        )
    return text


@personal_data
@login_required
def visit_new(request, pk: int):
    household = _household_to_visit(request.user, pk)
    edition = questionnaire.current()
    members = selectors.current_members(household)
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        edition=edition,
        members=members,
        initial={"visited_on": timezone.localdate()},
    )
    if request.method == "POST":
        if not form.is_valid():
            _form_errors(request, form)
        else:
            data = form.cleaned_data
            with service_errors_shown(request) as outcome, transaction.atomic():
                taken = services.take_visit(
                    actor=request.user,
                    client_id=data["client_id"],
                    household_id=household.pk,
                    visited_on=data["visited_on"],
                    answers=form.answers(),
                    present_ids=[int(p) for p in data["present"]],
                    needs=data["needs"],
                    notes=data["notes"],
                    photo=data.get("photo"),
                )
                help_kwargs = form.help_kwargs()
                help_request = None
                if help_kwargs:
                    help_request = services.raise_help_request(
                        actor=request.user,
                        household_id=household.pk,
                        visit_id=taken.record.pk,
                        client_id=_help_client_id(data["client_id"]),
                        **help_kwargs,
                    )
            if outcome.ok:
                visit = taken.record
                if taken.created:
                    messages.success(
                        request,
                        _("Visit of %(date)s recorded: %(n)d answers in the record book.")
                        % {
                            "date": thai_dates.format_date(visit.visited_on),
                            "n": len(visit.answers),
                        },
                    )
                else:
                    messages.info(
                        request, _("This visit was already recorded; nothing new was saved.")
                    )
                if help_request is not None:
                    messages.success(request, _help_done(help_request))
                return redirect("volunteers:visit_detail", pk=visit.pk)
    return render(
        request,
        "volunteers/visits/visit_form.html",
        {"household": household, "form": form, "edition": edition, "members": members},
    )


@personal_data
@login_required
def visit_detail(request, pk: int):
    visit = selectors.visit_to_read(request.user, pk)
    edition = questionnaire.get(visit.questionnaire)
    # In the questionnaire's order (dimension by dimension, as on the form), not the table's.
    order = {q.id: i for i, (_d, _l, qs) in enumerate(edition.by_dimension()) for q in qs}
    position = {q.id: i for i, q in enumerate(edition.questions)}
    entries = sorted(
        visit.entries.all(),
        key=lambda e: (order.get(e.question, 99), position.get(e.question, 999), e.question),
    )
    answers = []
    for entry in entries:
        question = edition.question(entry.question)
        answers.append(
            {
                "label": question.label if question else entry.question,
                "value": selectors.value_label(question, entry.value),
                "deprived": entry.deprived,
                "dimension": entry.get_dimension_display(),
            }
        )
    audit.record_read(
        actor=request.user, obj=visit, purpose="visit", household_id=visit.household_id
    )
    return render(
        request,
        "volunteers/visits/visit_detail.html",
        {
            "visit": visit,
            "answers": answers,
            "needs": [edition.need_label(n) for n in visit.needs],
            "help_requests": list(
                visit.help_requests.select_related("report", "report__case", "service")
            ),
            "may_visit": may(request.user, Action.VISIT_HOUSEHOLDS),
        },
    )


@personal_data
@login_required
def visit_photo(request, pk: int):
    visit = selectors.visit_to_read(request.user, pk)
    if not visit.photo:
        raise Http404
    audit.record_read(
        actor=request.user, obj=visit, purpose="visit photo", household_id=visit.household_id
    )
    return FileResponse(visit.photo.open("rb"))


@personal_data
@login_required
def record_book(request, pk: int):
    household = selectors.household_to_read(request.user, pk)
    book = selectors.record_book(household)
    history = selectors.history_by_dimension(household)
    for dimension in book:
        points = history[dimension["dimension"]]
        if all(p["deprived"] is None for p in points):
            dimension["bars"] = []  # never asked: no chart of dashes
            continue
        dimension["bars"] = [
            {
                "label": thai_dates.format_date(p["visited_on"]),
                "value": p["deprived"],
                "url": reverse("volunteers:visit_detail", args=[p["visit_id"]]),
            }
            for p in points
        ]
    visits = audit.listed(
        request.user,
        selectors.visits_of(request.user, household)[:50],
        kind="volunteers.visit",
        purpose="record book",
    )
    return render(
        request,
        "volunteers/visits/record_book.html",
        {
            "household": household,
            "book": book,
            "visits": visits,
            "help_requests": selectors.help_requests_of(household),
            "may_visit": may(request.user, Action.VISIT_HOUSEHOLDS),
        },
    )


@personal_data
@login_required
def help_new(request, pk: int):
    household = _household_to_visit(request.user, pk)
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            _form_errors(request, form)
        else:
            with service_errors_shown(request) as outcome:
                help_request = services.raise_help_request(
                    actor=request.user,
                    household_id=household.pk,
                    client_id=form.cleaned_data["client_id"],
                    **form.help_kwargs(),
                )
            if outcome.ok:
                messages.success(request, _help_done(help_request))
                return redirect("volunteers:visit_record_book", pk=household.pk)
    return render(
        request, "volunteers/visits/help_form.html", {"household": household, "form": form}
    )


@personal_data
@login_required
def help_list(request):
    if not (
        may(request.user, Action.VISIT_HOUSEHOLDS) or may(request.user, Action.READ_VOLUNTEERS)
    ):
        raise Http404
    rows = audit.listed(
        request.user,
        selectors.help_requests_in_scope(request.user)[:200],
        kind="volunteers.helprequest",
        purpose="help requests",
    )
    return render(request, "volunteers/visits/help_list.html", {"help_requests": rows})
