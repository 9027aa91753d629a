"""Recording home visits into the family record book, and help requests raised from them.

A visit is written once per ``client_id`` (made on the phone, or by the page, before the
first try): a retry with the same id and the same visit answers the first visit and
writes nothing; the same id with a different visit is refused, like the intake's request
keys (`cases.intake.idempotency`). Everything is checked before anything is written, so a
refusal changes nothing.

Who records: a volunteer records visits to the households assigned to them; frontline
staff (the role table's VISIT_HOUSEHOLDS) may record one for a household of their area —
typing in a paper record book — on behalf of the volunteer the household is assigned to.
A household with no volunteer has nobody the visit could be of, so staff are refused there
(assign one first).

Help requests (`help.py` builds the report) go into the ordinary intake with channel
"volunteer"; `receivers.py` turns a cash-aid or relief-items request into a service once
its report is accepted into a case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.errors import NotInScopeError, RequestKeyReusedError, ValidationError
from onehome.registry.models import Household
from onehome.volunteers.assignments.selectors import household_for_work_or_404
from onehome.volunteers.development.services import answer_follow_up
from onehome.volunteers.models import HelpRequest, RecordBookEntry, Visit, Volunteer
from onehome.volunteers.roster.selectors import volunteer_of
from onehome.volunteers.visits import checks, questionnaire
from onehome.volunteers.visits import help as help_reports
from onehome.volunteers.visits.photos import read_photo


@dataclass(frozen=True)
class Taken:
    """What a keyed request did: the record, and whether this request created it."""

    record: Any
    created: bool


def parse_client_id(value: object) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError(
            _("The request id must be a UUID made on the phone."), code="client_id"
        ) from None


def household_to_visit(actor: User, household_id: object) -> Household:
    """The household the actor may visit, or NotInScopeError (404): no role for visits,
    outside the area, or (for a volunteer) not assigned to them."""
    if not may(actor, Action.VISIT_HOUSEHOLDS):
        raise NotInScopeError
    try:
        return household_for_work_or_404(user=actor, pk=int(household_id))  # type: ignore[arg-type]
    except (Http404, TypeError, ValueError):
        raise NotInScopeError from None


def visiting_volunteer(actor: User, household: Household) -> Volunteer:
    """The volunteer the visit is of: the actor's own record, or for staff the volunteer
    the household is assigned to now (see the module docstring)."""
    own = volunteer_of(actor)
    if own is not None:
        return own
    assigned = (
        Volunteer.objects.filter(
            assignments__household=household,
            assignments__ended_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if assigned is None:
        raise ValidationError(
            _(
                "This household has no volunteer yet. Assign one before recording a visit "
                "in their name."
            ),
            code="no_volunteer",
        )
    return assigned


def _visit_form(visit: Visit | None = None, **given: Any) -> dict[str, Any]:
    """What identifies a visit request, for comparing a retry with the first."""
    if visit is not None:
        given = {
            "household_id": visit.household_id,
            "visited_on": visit.visited_on,
            "answers": visit.answers,
            "present": sorted(visit.present.values_list("pk", flat=True)),
            "needs": visit.needs,
            "notes": visit.notes,
        }
    return {**given, "visited_on": str(given["visited_on"])}


def record_visit(
    *,
    actor: User,
    household_id: int,
    visited_on: dt.date,
    answers: dict,
    present_ids: list[int],
    needs: list[str],
    notes: str = "",
    photo: object = None,
    client_id: object = None,
) -> Visit:
    """Record a visit and its answers in the household's record book (see the module
    docstring); `take_visit` without saying whether this call created it."""
    return take_visit(
        actor=actor,
        household_id=household_id,
        visited_on=visited_on,
        answers=answers,
        present_ids=present_ids,
        needs=needs,
        notes=notes,
        photo=photo,
        client_id=client_id,
    ).record


def take_visit(*, actor: User, client_id: object = None, **fields: Any) -> Taken:
    """`record_visit`, once per ``client_id`` (`_once`)."""
    key = parse_client_id(client_id) or uuid.uuid4()
    return _once(Visit, key, lambda: _take_visit(actor=actor, client_id=key, **fields))


def _once(model, key: uuid.UUID, take) -> Taken:
    """Run ``take`` (which writes a ``model`` row with this ``client_id`` or replays the
    first) in a transaction. Two tries with one id at the same moment: the second insert
    fails on the unique id, its transaction is rolled back whole, and the next attempt
    finds the first row and replays it (or refuses a different request)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return take()
        except IntegrityError:
            if not model.objects.filter(client_id=key).exists():
                raise
    raise RuntimeError(f"could not record the {model._meta.model_name}")  # ids are unique


def _take_visit(
    *,
    actor: User,
    client_id: uuid.UUID,
    household_id: int,
    visited_on: dt.date,
    answers: dict,
    present_ids: list[int],
    needs: list[str],
    notes: str = "",
    photo: object = None,
) -> Taken:
    household = household_to_visit(actor, household_id)
    first = Visit.objects.filter(client_id=client_id).first()
    edition = questionnaire.get(first.questionnaire) if first else questionnaire.current()
    clean = checks.clean_visit(
        edition,
        checks.household_facts([household.pk]).get(household.pk, checks.HouseholdFacts()),
        answers=answers,
        needs=needs,
        notes=notes,
        visited_on=visited_on,
        present_ids=present_ids,
    )
    if first is not None:
        if first.recorded_by_id != actor.pk or _visit_form(first) != _visit_form(
            household_id=household.pk,
            visited_on=clean.visited_on,
            answers=clean.answers,
            present=clean.present,
            needs=clean.needs,
            notes=clean.notes,
        ):
            raise RequestKeyReusedError(
                _(
                    "This visit id was already used for a different visit, so nothing was "
                    "saved. Record it again as a new visit."
                )
            )
        return Taken(record=first, created=False)
    checked_photo = read_photo(photo)
    checks.require_answers(clean)
    visit = checks.new_visit(
        clean,
        edition,
        client_id=client_id,
        household=household,
        volunteer=visiting_volunteer(actor, household),
        actor=actor,
    )
    if checked_photo is not None:
        visit.photo.save(checked_photo.as_file().name, checked_photo.as_file(), save=False)
    visit.save()
    visit.present.set(clean.present)
    RecordBookEntry.objects.bulk_create(checks.book_entries(edition, visit))
    answer_follow_up(visit)
    audit.record(**checks.audit_row(actor, visit, clean.present, photo=bool(checked_photo)))
    return Taken(record=visit, created=True)


# --- help requests ------------------------------------------------------------------------


def raise_help_request(
    *,
    actor: User,
    household_id: int,
    kind: str,
    summary: str,
    urgency: str = "normal",
    amount: object = None,
    items: str = "",
    visit_id: int | None = None,
    client_id: object = None,
    category: str = "",
    subcategory: str = "",
) -> HelpRequest:
    """Ask for help for a household: a report into the intake (channel volunteer), then the
    request that remembers it. ``category``/``subcategory`` name the hotline issue (when not
    given, the issue of the person who needs the help: `help.default_issue`)."""
    return take_help_request(
        actor=actor,
        household_id=household_id,
        kind=kind,
        summary=summary,
        urgency=urgency,
        amount=amount,
        items=items,
        visit_id=visit_id,
        client_id=client_id,
        category=category,
        subcategory=subcategory,
    ).record


def take_help_request(*, actor: User, client_id: object = None, **fields: Any) -> Taken:
    """`raise_help_request` once per ``client_id`` (`_once`)."""
    key = parse_client_id(client_id) or uuid.uuid4()
    return _once(HelpRequest, key, lambda: _take_help_request(actor=actor, client_id=key, **fields))


def _take_help_request(
    *, actor: User, client_id: uuid.UUID, household_id: int, **fields: Any
) -> Taken:
    household = household_to_visit(actor, household_id)
    asked = help_reports.clean_request(household=household, **fields)
    first = HelpRequest.objects.filter(client_id=client_id).select_related("report").first()
    if first is not None:
        if first.report.created_by_id != actor.pk or help_reports.request_form(first) != asked.form(
            household.pk
        ):
            raise RequestKeyReusedError(
                _(
                    "This request id was already used for a different help request, so "
                    "nothing was saved. Send it again as a new request."
                )
            )
        return Taken(record=first, created=False)
    volunteer = visiting_volunteer(actor, household)
    report = help_reports.file_report(
        actor=actor, household=household, volunteer=volunteer, asked=asked, key=client_id
    )
    request = HelpRequest.objects.create(
        client_id=client_id,
        household=household,
        visit=asked.visit,
        volunteer=volunteer,
        report=report,
        kind=asked.kind,
        amount=asked.amount,
        items=asked.items,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=request,
        household_id=household.pk,
        after=audit.snapshot(request),
        purpose="help request from a visit",
    )
    return Taken(record=request, created=True)
