"""Sync's fast path for visits: a run of visits of one batch, checked and written together.

The specification is `services.sync_item`, one item at a time, each in its own
transaction. At month end a phone sends ten visits at once, and one at a time costs about
38 queries a visit. This path gives every item the answer `sync_item` would give and writes
the same rows — the visits, who was present, their record-book rows, the follow-ups they
answer and schedule, the course moves, one audit row per visit — in a fixed number of
queries for the whole run (besides each course move, a transition of its own, once per
household in its life):

1. read the visits that already hold the run's ids, the volunteer's open-assigned
   households among the run's, and those households' members (`checks.household_facts`);
2. answer each item in order as `sync_item` does: already received (the volunteer's own
   id), not assigned, the id of someone else's visit, or the first thing `checks` finds
   wrong with it;
3. write the accepted visits in one transaction: the visits, who was present and their
   record-book rows in one INSERT each, the follow-ups (`answer_follow_ups`) and the audit
   rows (`audit.record_all`).

It declines (returns None: take `sync_item` item by item) for a run that is not plain — a
household or an id twice, where one visit's write decides the next one's answer — and
when the write fails whole: a concurrent try of the same batch (a retry sent while the
first was still being written) committed one of the ids first (item by item each of those
is then answered "already received"), or a course the write moves changed meanwhile (item
by item only that visit is refused, as `sync_item` refuses it). `tests/test_offline_visit_batch.py`
checks that the two paths answer and write the same."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import User
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError
from onehome.volunteers.assignments.selectors import assigned_households
from onehome.volunteers.development.services import answer_follow_ups
from onehome.volunteers.models import RecordBookEntry, Visit, Volunteer
from onehome.volunteers.visits import checks, questionnaire

from .answers import OK, ItemAnswer, duplicate, not_assigned, owned_elsewhere, refused


def sync_visits(*, actor: User, volunteer: Volunteer, items: list[dict]) -> list[ItemAnswer] | None:
    """The answers to a run of visit items (see the module docstring), or None."""
    client_ids = [item["client_id"] for item in items]
    household_ids = [item["household_id"] for item in items]
    if len(set(client_ids)) < len(items) or len(set(household_ids)) < len(items):
        return None
    earlier = _received(client_ids)
    mine = {
        h.pk: h
        for h in assigned_households(user=actor, volunteer=volunteer).filter(pk__in=household_ids)
    }
    facts = checks.household_facts(mine)
    edition = questionnaire.current()
    answers: list[ItemAnswer | None] = []
    accepted: list[tuple[int, Visit, checks.CleanVisit]] = []
    for item in items:
        cid, data = item["client_id"], item["visit"]
        first = earlier.get(cid)
        if first is not None and first.volunteer_id == volunteer.pk:
            answers.append(duplicate(cid, first.pk))
            continue
        household = mine.get(item["household_id"])
        if household is None:
            answers.append(refused(cid, not_assigned()))
            continue
        if first is not None:
            answers.append(refused(cid, owned_elsewhere()))
            continue
        try:
            clean = checks.clean_visit(
                edition,
                facts.get(household.pk, checks.HouseholdFacts()),
                answers=data.get("answers") or {},
                needs=data.get("needs") or [],
                notes=data.get("notes", ""),
                visited_on=data["visited_on"],
                present_ids=data.get("present_ids") or [],
            )
            checks.require_answers(clean)
        except ValidationError as exc:
            answers.append(refused(cid, " ".join(str(m) for m in exc.messages)))
            continue
        visit = checks.new_visit(
            clean, edition, client_id=cid, household=household, volunteer=volunteer, actor=actor
        )
        accepted.append((len(answers), visit, clean))
        answers.append(None)
    if accepted:
        try:
            with transaction.atomic():
                _write(actor, edition, accepted)
        except (IntegrityError, StaleVersionError, ValidationError, NotInScopeError):
            # A concurrent try wrote one of the ids, or a record the write moves (a course)
            # changed meanwhile: undone whole; item by item each gets its own answer.
            return None
        for position, visit, _clean in accepted:
            answers[position] = ItemAnswer(str(visit.client_id), OK, _("Visit saved."), visit.pk)
    return answers  # type: ignore[return-value]  (every position is answered by now)


def _received(client_ids: list) -> dict:
    """The visits already holding these ids: {id: visit}."""
    visits = Visit.objects.filter(client_id__in=client_ids).only("client_id", "volunteer_id")
    return {v.client_id: v for v in visits}


def _write(actor: User, edition, accepted: list[tuple[int, Visit, checks.CleanVisit]]) -> None:
    visits = Visit.objects.bulk_create([visit for _pos, visit, _clean in accepted])
    Present = Visit.present.through
    Present.objects.bulk_create(
        Present(visit_id=visit.pk, person_id=person)
        for _pos, visit, clean in accepted
        for person in clean.present
    )
    RecordBookEntry.objects.bulk_create(
        entry for visit in visits for entry in checks.book_entries(edition, visit)
    )
    answer_follow_ups(visits)
    audit.record_all(
        [checks.audit_row(actor, visit, c.present, photo=False) for _pos, visit, c in accepted]
    )
