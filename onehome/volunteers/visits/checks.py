"""What a visit must be, and what recording it writes, without a query of its own.

The caller reads what the checks need (`household_facts`: one query for any number of
households); the checks accept a visit or raise `ValidationError`. One visit
(`services.take_visit`) and a synced batch of visits (`offline.visit_batch.sync_visits`)
go through the same checks in the same order, so both refuse the same visit with the same
words, and write the same record-book rows and audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.core import thai_dates
from onehome.errors import ValidationError
from onehome.registry.models import Membership
from onehome.volunteers.models import RecordBookEntry, Visit
from onehome.volunteers.visits.questionnaire import Questionnaire

# How far back a visit may be recorded: a paper record book typed in late, not a typo
# of the year (a visit in 2568 typed as 2558).
MAX_DAYS_BACK = 366
NOTES_MAX = 2000


@dataclass(frozen=True)
class HouseholdFacts:
    """What the checks need to know of a household: the day its first member moved in (a
    visit cannot come before) and who lives there now (who can be present)."""

    first_member_since: dt.date | None = None
    members: frozenset[int] = field(default_factory=frozenset)


def household_facts(household_ids: Iterable[int]) -> dict[int, HouseholdFacts]:
    """The facts of each household, in one query (a household with nobody: no facts)."""
    first: dict[int, dt.date] = {}
    members: dict[int, set[int]] = {}
    rows = Membership.objects.filter(household_id__in=list(household_ids)).values_list(
        "household_id", "person_id", "start_date", "end_date"
    )
    for household_id, person_id, start, end in rows:
        if household_id not in first or start < first[household_id]:
            first[household_id] = start
        if end is None:
            members.setdefault(household_id, set()).add(person_id)
    return {
        h: HouseholdFacts(first.get(h), frozenset(members.get(h, ())))
        for h in first.keys() | members.keys()
    }


@dataclass(frozen=True)
class CleanVisit:
    answers: dict
    needs: list[str]
    notes: str
    visited_on: dt.date
    present: list[int]


def clean_visit(
    edition: Questionnaire,
    facts: HouseholdFacts,
    *,
    answers: dict,
    needs: list[str],
    notes: str,
    visited_on: object,
    present_ids: object,
) -> CleanVisit:
    """The visit as it will be stored, or the first thing wrong with it: the answers and
    needs (`edition`'s), the notes, the date, who was present."""
    cleaned = edition.clean_answers(answers)
    needs = edition.clean_needs(needs)
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise ValidationError(
            _("The notes are longer than %(n)d characters.") % {"n": NOTES_MAX}, code="notes"
        )
    return CleanVisit(
        answers=cleaned,
        needs=needs,
        notes=notes,
        visited_on=visit_date(visited_on, facts.first_member_since),
        present=present_members(present_ids, facts.members),
    )


def require_answers(visit: CleanVisit) -> None:
    if not visit.answers:
        raise ValidationError(_("Answer at least one question of the record book."))


def visit_date(value: object, first_member_since: dt.date | None) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        value = thai_dates.parse_date(value)
    if not isinstance(value, dt.date):
        raise ValidationError(_("Enter the date of the visit."), code="visited_on")
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The visit date is in the future."), code="visited_on")
    if value < today - dt.timedelta(days=MAX_DAYS_BACK):
        raise ValidationError(
            _("The visit date is more than a year ago. Check the year (พ.ศ.)."),
            code="visited_on",
        )
    if first_member_since is not None and value < first_member_since:
        raise ValidationError(
            _("The visit date is before anyone lived in this household."), code="visited_on"
        )
    return value


def present_members(present_ids: object, members: frozenset[int]) -> list[int]:
    if present_ids in (None, ""):
        return []
    if isinstance(present_ids, str) or not isinstance(present_ids, list | tuple | set):
        raise ValidationError(_("Who was present must be a list of people."), code="present")
    try:
        wanted = sorted({int(p) for p in present_ids})
    except (TypeError, ValueError):
        raise ValidationError(
            _("Who was present must be a list of people."), code="present"
        ) from None
    outside = [p for p in wanted if p not in members]
    if outside:
        raise ValidationError(
            _("Person %(ids)s is not a current member of this household.")
            % {"ids": ", ".join(map(str, outside))},
            code="present",
        )
    return wanted


def new_visit(
    clean: CleanVisit, edition: Questionnaire, *, client_id, household, volunteer, actor: User
) -> Visit:
    """The visit to save (unsaved: one is saved with its photo, a batch together)."""
    return Visit(
        client_id=client_id,
        household=household,
        volunteer=volunteer,
        visited_on=clean.visited_on,
        questionnaire=edition.version,
        answers=clean.answers,
        needs=clean.needs,
        notes=clean.notes,
        recorded_by=actor,
    )


def book_entries(edition: Questionnaire, visit: Visit) -> list[RecordBookEntry]:
    """The record-book rows of a saved visit: one per question answered."""
    return [
        RecordBookEntry(
            household_id=visit.household_id,
            visit=visit,
            dimension=q.dimension,
            question=q.id,
            value=visit.answers[q.id],
            deprived=q.is_deprived(visit.answers[q.id]),
            recorded_on=visit.visited_on,
        )
        for q in edition.questions
        if q.id in visit.answers
    ]


def audit_row(actor: User, visit: Visit, present: list[int], *, photo: bool) -> dict:
    """The arguments of the visit's audit row (`audit.record`, or `audit.record_all`)."""
    return {
        "actor": actor,
        "action": AuditAction.CREATE,
        "obj": visit,
        "household_id": visit.household_id,
        "after": {
            **audit.snapshot(
                visit,
                [
                    "client_id",
                    "household_id",
                    "volunteer_id",
                    "visited_on",
                    "questionnaire",
                    "answers",
                    "needs",
                ],
            ),
            "present": present,
            "photo": photo,
        },
        "purpose": "home visit",
    }
