"""Reading visits, the family record book and help requests.

Every read starts from a household the user may see here (`household_to_read`): a
volunteer only the households assigned to them, staff who read volunteers' work (the role
table's READ_VOLUNTEERS) or record visits any household of their area; anyone else 404.
The rows are then read through `scoped()` as well, so a household's record book cannot
leak through a visit id of another area.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.access.scope import scoped
from onehome.cases.models import Dimension
from onehome.errors import ValidationError
from onehome.registry.models import Household, Membership
from onehome.volunteers.assignments.selectors import (
    assigned_households,
    household_for_work_or_404,
)
from onehome.volunteers.models import HelpRequest, RecordBookEntry, Visit
from onehome.volunteers.roster.selectors import volunteer_of
from onehome.volunteers.visits import questionnaire


def household_to_read(user: User, pk: object) -> Household:
    """The household whose visits and record book the user may read, else Http404."""
    if volunteer_of(user) is not None or may(user, Action.VISIT_HOUSEHOLDS):
        if not may(user, Action.VISIT_HOUSEHOLDS):
            raise Http404
        return household_for_work_or_404(user=user, pk=pk)  # type: ignore[arg-type]
    if not may(user, Action.READ_VOLUNTEERS):
        raise Http404
    try:
        return scoped(user, Household.objects.all(), action=Action.READ_VOLUNTEERS).get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def visits_of(user: User, household: Household) -> QuerySet[Visit]:
    """The household's visits, newest first, with their volunteer."""
    return (
        scoped(user, Visit.objects.all(), action=_read_action(user))
        .filter(household=household)
        .select_related("volunteer__person", "recorded_by")
    )


def visit_to_read(user: User, pk: object) -> Visit:
    """One visit, when its household is one the user may read (else Http404)."""
    try:
        household_id = Visit.objects.values_list("household_id", flat=True).get(pk=pk)
    except (Visit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    household = household_to_read(user, household_id)
    return visits_of(user, household).prefetch_related("present", "entries").get(pk=pk)


def _read_action(user: User) -> Action:
    return Action.VISIT_HOUSEHOLDS if may(user, Action.VISIT_HOUSEHOLDS) else Action.READ_VOLUNTEERS


def _label_of(entry: RecordBookEntry, editions: dict[str, questionnaire.Questionnaire]):
    """The question as the edition that asked it words it (an old edition's question may be
    gone from the current one)."""
    edition = editions.get(entry.visit.questionnaire)
    if edition is None:
        try:
            edition = editions[entry.visit.questionnaire] = questionnaire.get(
                entry.visit.questionnaire
            )
        except ValidationError:  # an edition removed since: show the bare id
            return None
    return edition.question(entry.question)


def value_label(question, value: Any) -> str:
    """An answer as a reader reads it: yes/no words, the choice's label, a number with
    thousands separators."""
    if question is None or value is None:
        return "" if value is None else str(value)
    if question.kind == "yes_no":
        return _("Yes") if value else _("No")
    if question.kind == "choice":
        return question.choice_label(str(value))
    if question.kind == "number":
        return f"{value:,}"
    return str(value)


def latest_answers(household_id: int) -> list[RecordBookEntry]:
    """The record book now: the latest answer to every question ever asked. "Latest" is
    the answer of the visit made on the latest day; of two visits on the same day, the one
    recorded last (the higher visit id) wins, whatever order its answers were stored in.
    The one definition: the record book page, the goals proposed from it and the course's
    evidence all read it here."""
    latest: dict[str, RecordBookEntry] = {}
    entries = RecordBookEntry.objects.filter(household_id=household_id).select_related("visit")
    for entry in entries.order_by("-visit__visited_on", "-visit_id", "-id"):
        latest.setdefault(entry.question, entry)
    return list(latest.values())


def record_book(household: Household) -> list[dict[str, Any]]:
    """The book now (`latest_answers`), per dimension (in the dimensions' order), each
    answer with whether it means deprived, and per dimension how many of its latest
    answers do."""
    latest = latest_answers(household.pk)
    editions: dict[str, questionnaire.Questionnaire] = {}
    book = []
    for dimension, label in Dimension.choices:
        rows = []
        for entry in latest:
            if entry.dimension != dimension:
                continue
            question = _label_of(entry, editions)
            words = value_label(question, entry.value)
            rows.append(
                {
                    "question": question,
                    "question_id": entry.question,
                    "label": question.label if question else entry.question,
                    "value": entry.value,
                    "value_label": words,
                    "deprived": entry.deprived,
                    "recorded_on": entry.recorded_on,
                }
            )
        book.append(
            {
                "dimension": dimension,
                "label": str(label),
                "rows": rows,
                "deprived": sum(1 for r in rows if r["deprived"]),
            }
        )
    return book


@dataclass
class BookPoint:
    """One visit in the record book's history, per dimension: ``answered`` counts the
    answers that say whether the household is deprived (a question with a deprivation rule,
    answered), ``deprived`` those that say it is. An answer with no verdict (a note, a
    number with no threshold, a question left empty) counts in neither: a visit that gave
    only such answers in a dimension asked nothing there. The one definition of "asked" for
    the record book page, its API and the household story."""

    visit_id: int
    visited_on: dt.date
    answered: dict[str, int]
    deprived: dict[str, int]


def book_points(household: Household, *, latest: int | None = None) -> list[BookPoint]:
    """One point per visit of the household, oldest first (only the ``latest`` visits when
    given)."""
    visits = Visit.objects.filter(household=household).order_by("-visited_on", "-id")
    rows = visits.values_list("pk", "visited_on")
    if latest is not None:
        rows = rows[:latest]
    dims = Dimension.values
    points = {
        pk: BookPoint(pk, on, dict.fromkeys(dims, 0), dict.fromkeys(dims, 0))
        for pk, on in reversed(list(rows))
    }
    entries = RecordBookEntry.objects.filter(
        household=household, visit_id__in=list(points), deprived__isnull=False
    ).values_list("visit_id", "dimension", "deprived")
    for visit_id, dimension, deprived in entries:
        point = points[visit_id]
        if dimension in point.answered:
            point.answered[dimension] += 1
            point.deprived[dimension] += int(deprived)
    return list(points.values())


def history_by_dimension(household: Household) -> dict[str, list[dict[str, Any]]]:
    """For each dimension, one point per visit (oldest first, from `book_points`): the
    visit, its date, how many answers there said whether deprived ("asked") and how many
    said it is (None when the visit asked nothing there)."""
    points = book_points(household)
    return {
        dimension: [
            {
                "visit_id": p.visit_id,
                "visited_on": p.visited_on,
                "asked": p.answered[dimension],
                "deprived": p.deprived[dimension] if p.answered[dimension] else None,
            }
            for p in points
        ]
        for dimension in Dimension.values
    }


def current_members(household: Household) -> list:
    """The people living in the household now (the visit form's "who was present")."""
    return [
        m.person
        for m in Membership.objects.filter(household=household, end_date__isnull=True)
        .select_related("person")
        .order_by("start_date", "pk")
    ]


def help_requests_of(household: Household) -> list[HelpRequest]:
    """The household's help requests, newest first, with their report, its case and the
    service made from them (their status is read from those, never copied)."""
    return list(
        HelpRequest.objects.filter(household=household).select_related(
            "report", "report__case", "service", "volunteer__person"
        )
    )


def help_requests_in_scope(user: User) -> QuerySet[HelpRequest]:
    """Help requests the user may list: a volunteer's own, of the households assigned to
    them now (a household taken from them leaves their list), or those of the staff's
    area."""
    qs = HelpRequest.objects.select_related("report", "report__case", "service", "household")
    own = volunteer_of(user)
    if own is not None:
        if not may(user, Action.VISIT_HOUSEHOLDS):
            return qs.none()
        return qs.filter(volunteer=own, household__in=assigned_households(user=user))
    if not (may(user, Action.VISIT_HOUSEHOLDS) or may(user, Action.READ_VOLUNTEERS)):
        return qs.none()
    return scoped(user, qs, action=_read_action(user))
