"""Home visits and the family record book: what a visit writes, what it refuses, and the
help requests it raises (services; pages and API in test_visits_pages.py / _api.py)."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from onehome.access.models import AuditEvent, Role
from onehome.cases.intake import triage
from onehome.cases.models import Channel, ServiceKind, ServiceStatus
from onehome.errors import NotInScopeError, RequestKeyReusedError, ValidationError
from onehome.volunteers.models import FollowUp, HelpKind, HouseholdPlan, RecordBookEntry, Visit
from onehome.volunteers.tests import visits_support
from onehome.volunteers.tests.development_helpers import today
from onehome.volunteers.tests.factories import make_centre
from onehome.volunteers.visits import questionnaire, selectors
from onehome.volunteers.visits.photos import MAX_BYTES
from onehome.volunteers.visits.services import raise_help_request, take_visit

PNG = visits_support.PNG
home = visits_support.home
visit = visits_support.visit


def test_the_questionnaire_covers_every_tpmap_indicator_of_the_catalogue(english):
    import yaml

    from onehome.targeting.catalogue_files import catalogue_path

    raw = yaml.safe_load(catalogue_path("tpmap_2018").read_text(encoding="utf-8"))
    tpmap = {i["id"]: i["dimension"] for i in raw["indicators"]}
    current = questionnaire.current()
    asked = {q.indicator: q.dimension for q in current.questions if q.indicator}
    assert asked == tpmap
    assert questionnaire.get(current.version) is current
    with pytest.raises(ValidationError, match="Unknown questionnaire version"):
        questionnaire.get("1999.9")


def test_a_visit_writes_the_record_book_with_deprivations(home):
    v = visit(home)
    assert v.volunteer == home.volunteer and v.questionnaire == questionnaire.current().version
    assert list(v.present.all()) == [home.head] and v.needs == ["food"] and v.notes == "ok"
    book = {e.question: (e.dimension, e.value, e.deprived) for e in RecordBookEntry.objects.all()}
    assert book == {
        "safe_food": ("health", False, True),
        "income_per_person": ("income", 20000, True),
        "savings": ("income", True, False),
    }
    assert AuditEvent.objects.filter(object_type="volunteers.visit", object_id=str(v.pk)).exists()


def test_the_record_book_keeps_the_latest_answer_and_the_history_per_dimension(home):
    visit(home, visited_on=today() - dt.timedelta(days=40))
    visit(home, answers={"safe_food": True, "secure_housing": False})
    now = {d["dimension"]: d for d in selectors.record_book(home)}
    health = {r["question"].id: r for r in now["health"]["rows"]}
    assert health["safe_food"]["value"] is True and health["safe_food"]["deprived"] is False
    income = {r["question"].id: r for r in now["income"]["rows"]}
    assert income["income_per_person"]["value"] == 20000  # kept from the older visit
    history = selectors.history_by_dimension(home)
    assert [p["deprived"] for p in history["health"]] == [1, 0]
    assert [p["deprived"] for p in history["income"]] == [1, None]
    assert [p["deprived"] for p in history["living"]] == [None, 1]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"no_such_question": 1}, "is not in questionnaire"),
        ({"safe_food": "perhaps"}, "Answer yes or no"),
        ({"income_per_person": "lots"}, "with a number"),
        ({"income_per_person": -1}, "must be from 0"),
        ({"house_repair": "collapsed"}, "is not one of the answers"),
        ({}, "Answer at least one question"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(home, answers, message, english):
    with pytest.raises(ValidationError, match=message):
        visit(home, answers=answers)
    assert not Visit.objects.exists() and not RecordBookEntry.objects.exists()


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"visited_on": 1}, "in the future"),  # days from today, read when the test runs
        ({"visited_on": -400}, "more than a year ago"),
        ({"present_ids": [999999]}, "not a current member"),
        ({"needs": ["pony"]}, "Unknown need"),
        ({"photo": b"GIF89a" + b"\0" * 10}, "JPEG, PNG or WebP"),
        ({"photo": PNG + b"\0" * MAX_BYTES}, "larger than 2 MB"),
    ],
)
def test_bad_visits_are_refused_and_nothing_is_written(home, kw, message, english):
    if isinstance(kw.get("visited_on"), int):
        kw = {"visited_on": today() + dt.timedelta(days=kw["visited_on"])}
    with pytest.raises(ValidationError, match=message):
        visit(home, **kw)
    assert not Visit.objects.exists()


def test_a_photo_is_stored_under_the_visits_own_name(home, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    v = visit(home, photo=PNG)
    assert v.photo.name == f"visits/{home.pk}/{v.client_id}.png"
    assert (tmp_path / v.photo.name).read_bytes() == PNG


def test_a_replay_returns_the_first_visit_and_a_changed_one_is_refused(home):
    key = uuid.uuid4()
    first = take_visit(
        actor=home.volunteer.user,
        client_id=str(key),
        household_id=home.pk,
        visited_on=today(),
        answers={"safe_food": "no"},
        present_ids=[],
        needs=[],
        notes="",
    )
    again = take_visit(
        actor=home.volunteer.user,
        client_id=key,
        household_id=home.pk,
        visited_on=today(),
        answers={"safe_food": False},
        present_ids=[],
        needs=[],
        notes="  ",
    )
    assert first.created and not again.created and again.record.pk == first.record.pk
    assert Visit.objects.count() == 1 and RecordBookEntry.objects.count() == 1
    with pytest.raises(RequestKeyReusedError):
        visit(home, client_id=key, answers={"safe_food": True})
    assert Visit.objects.count() == 1


def test_a_volunteer_visits_only_assigned_households(home, worker, make_household):
    other = make_household()
    with pytest.raises(NotInScopeError):
        visit(home, household_id=other.pk, present_ids=[])
    assert not Visit.objects.exists()


def test_staff_record_for_the_assigned_volunteer_and_not_where_there_is_none(
    home, worker, make_household, english
):
    v = visit(home, actor=worker)
    assert v.volunteer == home.volunteer and v.recorded_by == worker
    with pytest.raises(ValidationError, match="no volunteer"):
        visit(home, actor=worker, household_id=make_household().pk, present_ids=[])


def test_outsiders_and_roles_without_visits_get_404(home, outsider, make_user):
    for who in (outsider, make_user(Role.HOTLINE_OPERATOR)):
        with pytest.raises(NotInScopeError):
            visit(home, actor=who)


def test_a_visit_answers_the_oldest_open_follow_up_of_the_plan(home, worker):
    HouseholdPlan.objects.create(
        household=home, agreed_on=today() - dt.timedelta(days=60), created_by=worker
    )
    older = FollowUp.objects.create(household=home, due_on=today())
    later = FollowUp.objects.create(household=home, due_on=today() + dt.timedelta(days=30))
    v = visit(home)
    older.refresh_from_db(), later.refresh_from_db()
    assert older.visit == v and later.visit is None


# --- help requests ------------------------------------------------------------------------


def test_a_help_request_is_a_report_with_channel_volunteer(home):
    v = visit(home)
    request = raise_help_request(
        actor=home.volunteer.user,
        household_id=home.pk,
        kind=HelpKind.HELP,
        summary="แม่ป่วยติดเตียง ไม่มีคนดูแล",
        urgency="urgent",
        visit_id=v.pk,
    )
    report = request.report
    assert report.channel == Channel.VOLUNTEER and report.urgency == "urgent"
    assert report.subdistrict_id == home.subdistrict_id
    assert report.created_by == home.volunteer.user
    assert [p.person_id for p in report.parties.all()] == [home.head.pk]
    assert request.volunteer == home.volunteer and request.visit == v


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"kind": HelpKind.CASH_AID}, "amount of cash aid"),
        ({"kind": HelpKind.CASH_AID, "amount": "-5"}, "(more than|มากกว่า) 0"),
        ({"kind": HelpKind.RELIEF_ITEMS}, "which relief items"),
        ({"kind": HelpKind.HELP, "amount": 500}, "Only a request for cash aid"),
        ({"kind": "pony"}, "kind of help"),
        ({"summary": "  "}, "what the household needs"),
    ],
)
def test_bad_help_requests_are_refused_and_nothing_is_written(home, kw, message, english):
    fields = {"kind": HelpKind.HELP, "summary": "ต้องการความช่วยเหลือ", **kw}
    with pytest.raises(ValidationError, match=message):
        raise_help_request(actor=home.volunteer.user, household_id=home.pk, **fields)
    from onehome.cases.models import Report

    assert not Report.objects.exists()


def test_a_help_request_replays_by_its_id(home):
    key = uuid.uuid4()
    kw = {
        "actor": home.volunteer.user,
        "household_id": home.pk,
        "kind": HelpKind.CASH_AID,
        "summary": "ไม่มีเงินค่ารักษา",
        "amount": "2000",
        "client_id": key,
    }
    first = raise_help_request(**kw)
    assert raise_help_request(**{**kw, "amount": 2000}).pk == first.pk
    with pytest.raises(RequestKeyReusedError):
        raise_help_request(**{**kw, "amount": 2500})
    from onehome.cases.models import Report

    assert Report.objects.count() == 1


def test_cash_aid_becomes_a_service_awaiting_approval_once_the_report_is_a_case(home, make_user):
    request = raise_help_request(
        actor=home.volunteer.user,
        household_id=home.pk,
        kind=HelpKind.CASH_AID,
        summary="ไฟไหม้บ้าน",
        amount=Decimal("5000"),
    )
    request.refresh_from_db()
    assert request.service is None  # not before the report is a case
    report = request.report
    boss = make_user(Role.SUPERVISOR, organisation=report.routed_to or make_centre())
    case = triage.accept_report(actor=boss, report_id=report.pk, version=report.version)
    request.refresh_from_db()
    service = request.service
    assert service.case == case and service.kind == ServiceKind.CASH_AID
    assert service.amount == Decimal("5000") and service.status == ServiceStatus.AWAITING_APPROVAL
    assert case.household_id == home.pk
    assert selectors.help_requests_of(home)[0].service == service


def test_relief_items_without_stock_leave_a_note_and_the_case_still_opens(home, make_user):
    request = raise_help_request(
        actor=home.volunteer.user,
        household_id=home.pk,
        kind=HelpKind.RELIEF_ITEMS,
        summary="น้ำท่วม",
        items="ถุงยังชีพ 1 ถุง",
    )
    report = request.report
    boss = make_user(Role.SUPERVISOR, organisation=report.routed_to or make_centre())
    case = triage.accept_report(actor=boss, report_id=report.pk, version=report.version)
    request.refresh_from_db()
    assert request.service is None
    assert case.events.filter(kind="note", text__contains="ยังไม่ได้เป็นบริการ").exists()


def test_merging_two_records_of_a_person_moves_who_was_present_and_undoes(
    home, make_person, supervisor
):
    from onehome.registry import merge

    duplicate = make_person("มานี", "มีนา")
    v = visit(home, present_ids=[])
    v.present.add(duplicate)
    done = merge.merge_people(
        actor=supervisor, kept_id=home.head.pk, duplicate_id=duplicate.pk, reason="คนเดียวกัน"
    )
    assert list(v.present.all()) == [home.head]
    merge.undo_merge(actor=supervisor, merge_id=done.pk, reason="ผิดคน")
    assert list(v.present.all()) == [duplicate]


def test_merging_two_records_both_present_at_one_visit_keeps_one_and_undo_restores_both(
    home, make_person, supervisor
):
    from onehome.registry import merge

    duplicate = make_person("มานี", "มีนา")
    v = visit(home, present_ids=[home.head.pk])
    v.present.add(duplicate)
    done = merge.merge_people(
        actor=supervisor, kept_id=home.head.pk, duplicate_id=duplicate.pk, reason="คนเดียวกัน"
    )
    assert list(v.present.all()) == [home.head]
    merge.undo_merge(actor=supervisor, merge_id=done.pk, reason="ผิดคน")
    assert {p.pk for p in v.present.all()} == {home.head.pk, duplicate.pk}
