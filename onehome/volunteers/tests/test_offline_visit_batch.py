"""Sync's fast path for a run of visits (`offline.visit_batch`) against its specification
(`offline.services.sync_item`, one item at a time): the same answers, the same rows written
(visits, who was present, record-book rows, follow-ups answered and scheduled, the course
moved, the audit rows), in a fixed number of queries; and the runs it declines."""

import datetime as dt
import threading
import uuid
from unittest import mock

import pytest
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext

from onehome.access.models import AuditEvent
from onehome.registry import services as registry
from onehome.volunteers.course import services as course
from onehome.volunteers.models import (
    CourseStatus,
    Enrollment,
    FollowUp,
    RecordBookEntry,
    Visit,
)
from onehome.volunteers.offline import services, visit_batch
from onehome.volunteers.tests.development_helpers import in_days, start, today, visit_on
from onehome.volunteers.tests.factories import assign, make_volunteer


def add_household(volunteer, worker, make_household, make_person, *, members=2):
    household = make_household()
    people = [make_person("มานี", f"ทดสอบ{k}") for k in range(members)]
    for k, person in enumerate(people):
        registry.add_member(
            actor=worker, household_id=household.pk, person_id=person.pk,
            relationship="head" if k == 0 else "child", since=dt.date(2020, 1, 1),
        )  # fmt: skip
    if volunteer is not None:
        assign(volunteer, household, by=worker)
    household.people = people
    household.head, household.volunteer = people[0], volunteer
    return household


def item(household, *, client_id=None, day=None, answers=None, present=None, notes=""):
    return {
        "client_id": client_id or uuid.uuid4(),
        "kind": "visit",
        "household_id": household.pk,
        "visit": {
            "visited_on": day or today(),
            "answers": {"safe_food": True} if answers is None else answers,
            "present_ids": [household.head.pk] if present is None else present,
            "needs": ["food"],
            "notes": notes,
        },
    }


@pytest.fixture
def scene(worker, make_household, make_person):
    """One volunteer's month-end batch touching every answer and every write: plain new
    visits; a household with a plan, its due visit and a course "plan agreed" (the visit
    moves it to "in progress" and schedules the next); a plan whose course is finished (no
    next follow-up); a newer visit already there (answers no follow-up); a visit before the
    plan was agreed; a retry of an id already received; a household not assigned; an id of
    another volunteer's visit; and one refusal of each check (future date, a present person
    who is not a member, notes too long, no answer, an unknown answer)."""
    volunteer = make_volunteer(worker)
    other = make_volunteer(worker)
    homes = [add_household(volunteer, worker, make_household, make_person) for _ in range(12)]
    planned, finished, newer, early = homes[1], homes[2], homes[3], homes[4]
    for home in (planned, finished, newer, early):
        course.enrol(actor=worker, household_id=home.pk, enrolled_on=in_days(-60))
        start(home, worker, agreed_on=in_days(-40) if home is not early else in_days(-5))
    finished_enrolment = Enrollment.objects.get(household=finished)
    Enrollment.objects.filter(pk=finished_enrolment.pk).update(status=CourseStatus.LEFT)
    visit_on(newer, in_days(-1))
    received = uuid.uuid4()
    Visit.objects.create(household=homes[5], volunteer=volunteer, visited_on=in_days(-3),
                         questionnaire="2569.1", client_id=received,
                         recorded_by=volunteer.user)  # fmt: skip
    stranger = add_household(other, worker, make_household, make_person)
    theirs = uuid.uuid4()
    Visit.objects.create(household=stranger, volunteer=other, visited_on=in_days(-3),
                         questionnaire="2569.1", client_id=theirs,
                         recorded_by=other.user)  # fmt: skip
    unassigned = add_household(None, worker, make_household, make_person)
    items = [
        item(homes[0], notes="  ครอบครัวอยู่ครบ  "),
        item(planned, present=[p.pk for p in planned.people]),
        item(finished),
        item(newer, day=in_days(-2)),
        item(early, day=in_days(-10)),
        item(homes[5], client_id=received, day=in_days(-3), answers={}),
        item(unassigned),
        item(homes[6], client_id=theirs),
        item(homes[7], day=in_days(1)),
        item(homes[8], present=[stranger.head.pk]),
        item(homes[9], notes="ก" * 2001),
        item(homes[10], answers={}),
        item(homes[11], answers={"no_such_question": True}),
    ]
    return volunteer, items


def written(volunteer, since: int) -> dict:
    """What a sync wrote, without ids (the two runs give different ids to the same rows)."""
    visits = Visit.objects.filter(volunteer=volunteer, pk__gt=since)
    cid = {v.pk: str(v.client_id) for v in visits}
    return {
        "visits": sorted(
            (
                str(v.client_id),
                v.household_id,
                v.visited_on,
                v.questionnaire,
                v.answers,
                v.needs,
                v.notes,
                v.recorded_by_id,
                sorted(v.present.values_list("pk", flat=True)),
            )
            for v in visits
        ),  # fmt: skip
        "book": sorted(
            (cid[e.visit_id], e.dimension, e.question, e.value, e.deprived, e.recorded_on)
            for e in RecordBookEntry.objects.filter(visit__in=visits)
        ),
        "follow_ups": sorted(
            (f.household_id, f.due_on, cid.get(f.visit_id, str(f.visit_id)))
            for f in FollowUp.objects.filter(household__volunteer_assignments__volunteer=volunteer)
        ),
        "course": sorted(Enrollment.objects.values_list("household_id", "status")),
        "audit": sorted(
            (
                e.object_type,
                e.household_id,
                e.action,
                e.purpose,
                {k: v for k, v in e.after.items() if k != "volunteer_id"},
            )
            for e in AuditEvent.objects.filter(object_type="volunteers.visit", object_id__in=cid)
        ),  # fmt: skip
    }


def together(volunteer, batch):
    return visit_batch.sync_visits(actor=volunteer.user, volunteer=volunteer, items=batch)


def answered(answers) -> list[tuple]:
    return [(a.client_id, a.status, a.message) for a in answers]


def run_and_undo(fn):
    """Run `fn` in a savepoint rolled back afterwards: what it answered and wrote."""
    since = Visit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        answers = fn()
        state = written(answers.volunteer, since)
        transaction.set_rollback(True)
    return answers, state


class Answers(list):
    volunteer = None


@pytest.mark.django_db
def test_the_fast_path_answers_and_writes_what_the_items_one_by_one_would(scene):
    volunteer, items = scene
    actor = volunteer.user

    def together():
        out = Answers(visit_batch.sync_visits(actor=actor, volunteer=volunteer, items=items))
        out.volunteer = volunteer
        return out

    def one_by_one():
        out = Answers(services.sync_item(actor=actor, volunteer=volunteer, item=i) for i in items)
        out.volunteer = volunteer
        return out

    fast, fast_rows = run_and_undo(together)
    spec, spec_rows = run_and_undo(one_by_one)
    assert answered(fast) == answered(spec)
    assert fast_rows == spec_rows
    # The scene reaches every answer and every write it was built for.
    statuses = [a.status for a in spec]
    assert statuses == ["ok"] * 5 + ["duplicate"] + ["refused"] * 7
    assert len(spec_rows["visits"]) == 5 and len(spec_rows["audit"]) == 5
    assert (items[1]["household_id"], CourseStatus.IN_PROGRESS) in spec_rows["course"]
    answered_follow_ups = [f for f in spec_rows["follow_ups"] if f[2] != "None"]
    planned, finished = items[1]["household_id"], items[2]["household_id"]
    assert [f[0] for f in answered_follow_ups] == [planned, finished]
    # The finished course's household: its due visit answered, no next one scheduled.
    assert [f[0] for f in spec_rows["follow_ups"]].count(finished) == 1
    assert [f[0] for f in spec_rows["follow_ups"]].count(planned) == 2


@pytest.mark.django_db
def test_ten_new_visits_cost_the_same_queries_as_two(worker, make_household, make_person):
    volunteer = make_volunteer(worker)
    homes = [add_household(volunteer, worker, make_household, make_person) for _ in range(12)]
    for home in homes:
        start(home, worker, agreed_on=in_days(-40))

    def queries(batch):
        with CaptureQueriesContext(connection) as captured:
            answers = visit_batch.sync_visits(
                actor=volunteer.user, volunteer=volunteer, items=batch
            )
        assert [a.status for a in answers] == ["ok"] * len(batch)
        return len(captured)

    assert queries([item(h) for h in homes[:2]]) == queries([item(h) for h in homes[2:12]])


@pytest.mark.django_db
def test_a_run_with_a_household_or_an_id_twice_is_declined(worker, make_household, make_person):
    volunteer = make_volunteer(worker)
    home, other = (add_household(volunteer, worker, make_household, make_person) for _ in "ab")
    same = uuid.uuid4()
    twice = [item(home), item(home, day=in_days(-1))]
    for batch in (twice, [item(home, client_id=same), item(other, client_id=same)]):
        assert together(volunteer, batch) is None
    assert not Visit.objects.exists()
    # Through the batch they go item by item: the second visit of a household is written too.
    answers = services.sync_batch(
        actor=volunteer.user, volunteer=volunteer, items=[item(home), item(home, day=in_days(-1))]
    )
    assert [a["status"] for a in answers] == ["ok", "ok"]
    assert Visit.objects.filter(household=home).count() == 2


@pytest.mark.django_db
def test_when_the_write_meets_an_id_written_meanwhile_the_run_goes_item_by_item(
    worker, make_household, make_person
):
    volunteer = make_volunteer(worker)
    homes = [add_household(volunteer, worker, make_household, make_person) for _ in range(3)]
    batch = [item(h) for h in homes]
    # A retry of the same batch, sent while this one was being checked, wrote one visit
    # after this one looked for the ids already received.
    services.sync_item(actor=volunteer.user, volunteer=volunteer, item=batch[1])
    with mock.patch.object(visit_batch, "_received", return_value={}):
        assert together(volunteer, batch) is None
        answers = services.sync_batch(actor=volunteer.user, volunteer=volunteer, items=batch)
    assert [a["status"] for a in answers] == ["ok", "duplicate", "ok"]
    assert Visit.objects.filter(volunteer=volunteer).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_sent_twice_at_once_is_written_once(
    worker, make_household, make_person, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (SQLite serialises writers)")
    volunteer = make_volunteer(worker)
    homes = [add_household(volunteer, worker, make_household, make_person) for _ in range(10)]
    batch = [item(h) for h in homes]
    gate, results = threading.Barrier(2), []

    def send():
        try:
            gate.wait()
            results.append(services.sync_batch(actor=volunteer.user, volunteer=volunteer,
                                               items=batch))  # fmt: skip
        finally:
            close_old_connections()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Visit.objects.filter(volunteer=volunteer).count() == 10
    for position in range(10):
        statuses = sorted(answers[position]["status"] for answers in results)
        assert statuses == ["duplicate", "ok"], statuses


@pytest.mark.django_db
def test_a_malformed_item_is_refused_with_its_message_and_the_rest_written(
    worker, make_household, make_person
):
    from rest_framework.test import APIClient

    volunteer = make_volunteer(worker)
    homes = [add_household(volunteer, worker, make_household, make_person) for _ in range(4)]
    batch = [item(h) for h in homes]
    for entry in batch:
        entry["client_id"] = str(entry["client_id"])
        entry["visit"]["visited_on"] = today().isoformat()
    batch[1]["visit"]["visited_on"] = "2569-13-45"
    del batch[2]["visit"]
    client = APIClient()
    client.force_login(volunteer.user)
    answers = client.post("/api/volunteers/app/sync/", {"items": batch}, format="json").json()
    assert [a["status"] for a in answers["items"]] == ["ok", "refused", "refused", "ok"]
    assert answers["items"][2]["message"] == "รายการนี้ไม่มีรายละเอียด"  # Thai by default
    assert answers["items"][1]["message"]
    stored = set(Visit.objects.filter(volunteer=volunteer).values_list("client_id", flat=True))
    assert {str(c) for c in stored} == {batch[0]["client_id"], batch[3]["client_id"]}


@pytest.mark.django_db
def test_a_course_changed_while_saving_refuses_only_its_visit(worker, make_household, make_person):
    """The write moves a course to "in progress"; if that course changed meanwhile the run
    is undone and goes item by item, where only that visit is refused (send again)."""
    from onehome.errors import StaleVersionError

    volunteer = make_volunteer(worker)
    homes = [add_household(volunteer, worker, make_household, make_person) for _ in range(3)]
    course.enrol(actor=worker, household_id=homes[1].pk, enrolled_on=in_days(-60))
    start(homes[1], worker, agreed_on=in_days(-40))

    def changed_meanwhile(**kwargs):
        raise StaleVersionError(current_version=3, given_version=2)

    with mock.patch.object(course.COURSE, "transition", changed_meanwhile):
        answers = services.sync_batch(
            actor=volunteer.user, volunteer=volunteer, items=[item(h) for h in homes]
        )
    assert [a["status"] for a in answers] == ["ok", "refused", "ok"]
    saved = Visit.objects.filter(volunteer=volunteer).values_list("household_id", flat=True)
    assert set(saved) == {homes[0].pk, homes[2].pk}
