"""Closed-loop referrals between agencies and their turnaround (issue 4, acceptance 5)."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from onehome.access.models import AuditEvent, Role
from onehome.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    EventKind,
    Referral,
    ReferralStatus,
    Urgency,
)
from onehome.cases.referrals import selectors as referral_selectors
from onehome.cases.referrals import services as referrals
from onehome.conftest import WIANG
from onehome.errors import DuplicateError, NotInScopeError, StaleVersionError, ValidationError
from onehome.notifications.models import Notification
from onehome.orgs.models import Organisation, OrgKind
from onehome.privacy.tests.helpers import give_referral_consent

pytestmark = pytest.mark.usefixtures("english")

_numbers = itertools.count(1)


def org(code, kind=OrgKind.PROVINCIAL_OFFICE, **kw):
    return Organisation.objects.create(
        code=code, kind=kind, name_th=f"org {code}", province_id="57", **kw
    )


@pytest.fixture
def office(db):
    return org("r-office")


@pytest.fixture
def hospital(db):
    return org("r-hosp", OrgKind.HOSPITAL)


@pytest.fixture
def sender(make_user, office):
    return make_user(Role.SOCIAL_WORKER, organisation=office)


@pytest.fixture
def receiver(make_user, hospital):
    return make_user(Role.SOCIAL_WORKER, organisation=hospital)


def make_case(owner, *, status=CaseStatus.ASSESSING, sensitive=False):
    return Case.objects.create(
        number=f"R-{next(_numbers):05d}",
        status=status,
        urgency=Urgency.NORMAL,
        category="violence" if sensitive else "homeless",
        sensitive=sensitive,
        title="test case",
        subdistrict_id=WIANG,
        owner=owner,
    )


def in_a_week():
    return timezone.now() + dt.timedelta(days=7)


def send(sender, case, to_org, **kw):
    kw.setdefault("need", "Home care for a bedridden man")
    kw.setdefault("due_at", in_a_week())
    # A hospital is outside the ministry: the people's consent comes first (PDPA).
    give_referral_consent(case, by=sender)
    return referrals.send_referral(actor=sender, case_id=case.pk, to_org_id=to_org.pk, **kw)


def test_the_loop_sent_accepted_delivered_outcome_moves_the_case_and_tells_the_sender(
    sender, receiver, office, hospital
):
    case = make_case(office)
    referral = send(sender, case, hospital)
    assert (referral.status, referral.from_org, referral.to_org) == ("sent", office, hospital)
    assert Notification.objects.filter(user=receiver, kind="referral_sent", case=case).exists()
    # Sending is referring: the case is "referred" at once (issue 15, point 3).
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED

    referral = referrals.accept_referral(actor=receiver, referral_id=referral.pk, version=1)
    assert referral.status == ReferralStatus.ACCEPTED and referral.responded_at
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED

    referral = referrals.deliver_referral(actor=receiver, referral_id=referral.pk, version=2)
    assert referral.status == ReferralStatus.DELIVERED and referral.delivered_at

    referral = referrals.report_referral_outcome(
        actor=receiver, referral_id=referral.pk, version=3, outcome="Nurse visits weekly"
    )
    assert referral.status == ReferralStatus.OUTCOME_REPORTED and referral.outcome_at
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSISTANCE_REPORTED

    kinds = set(Notification.objects.filter(user=sender).values_list("kind", flat=True))
    assert kinds == {"referral_accepted", "referral_outcome_reported"}
    # Outcomes may name people: they stay on the case, not in a message.
    assert not Notification.objects.filter(body__contains="Nurse").exists()
    # One timeline: both agencies' steps are on it, with the agency that took each.
    steps = CaseEvent.objects.filter(case=case, kind=EventKind.REFERRAL)
    assert [e.data["status"] for e in steps] == [
        "sent",
        "accepted",
        "delivered",
        "outcome_reported",
    ]
    assert [e.organisation_id for e in steps] == [office.pk] + [hospital.pk] * 3
    assert AuditEvent.objects.filter(object_type="cases.referral").count() == 4


def test_accepting_on_a_case_not_being_assessed_leaves_its_status(
    sender, receiver, office, hospital
):
    case = make_case(office, status=CaseStatus.ASSISTANCE_DONE)
    referral = send(sender, case, hospital)
    referrals.accept_referral(actor=receiver, referral_id=referral.pk, version=1)
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSISTANCE_DONE


def test_declining_needs_a_reason_and_tells_the_sender(sender, receiver, office, hospital):
    case = make_case(office)
    referral = send(sender, case, hospital)
    with pytest.raises(ValidationError, match="reason"):
        referrals.decline_referral(actor=receiver, referral_id=referral.pk, version=1, reason="")
    declined = referrals.decline_referral(
        actor=receiver, referral_id=referral.pk, version=1, reason="No beds"
    )
    assert (declined.status, declined.response_reason) == ("declined", "No beds")
    assert Notification.objects.filter(user=sender, kind="referral_declined").exists()
    # The case stays "referred": its workers take it back to assessment, with a reason.
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    # Declined is final: it cannot be accepted afterwards.
    with pytest.raises(ValidationError, match="Declined; it cannot be marked Accepted"):
        referrals.accept_referral(actor=receiver, referral_id=referral.pk, version=2)
    # A declined referral does not block a new one to the same agency.
    assert send(sender, case, hospital).status == ReferralStatus.SENT


def test_steps_out_of_order_are_refused_with_the_current_state(sender, receiver, office, hospital):
    referral = send(sender, make_case(office), hospital)
    with pytest.raises(ValidationError, match="Sent; it cannot be marked Delivered"):
        referrals.deliver_referral(actor=receiver, referral_id=referral.pk, version=1)
    with pytest.raises(ValidationError, match="Sent; it cannot be marked Outcome reported"):
        referrals.report_referral_outcome(
            actor=receiver, referral_id=referral.pk, version=1, outcome="done"
        )
    referral.refresh_from_db()
    assert (referral.status, referral.version) == ("sent", 1)


def test_a_stale_answer_is_refused(sender, receiver, office, hospital):
    referral = send(sender, make_case(office), hospital)
    referrals.accept_referral(actor=receiver, referral_id=referral.pk, version=1)
    with pytest.raises(StaleVersionError):
        referrals.decline_referral(actor=receiver, referral_id=referral.pk, version=1, reason="x")
    with pytest.raises(StaleVersionError):
        referrals.deliver_referral(actor=receiver, referral_id=referral.pk, version=None)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_only_the_receiving_organisation_answers(sender, make_user, office, hospital):
    referral = send(sender, make_case(office), hospital)
    with pytest.raises(ValidationError, match="Only staff of org r-hosp"):
        referrals.accept_referral(actor=sender, referral_id=referral.pk, version=1)


def test_an_outcome_can_follow_acceptance_directly(sender, receiver, office, hospital):
    referral = send(sender, make_case(office), hospital)
    referrals.accept_referral(actor=receiver, referral_id=referral.pk, version=1)
    with pytest.raises(ValidationError, match="outcome"):
        referrals.report_referral_outcome(
            actor=receiver, referral_id=referral.pk, version=2, outcome=" "
        )
    done = referrals.report_referral_outcome(
        actor=receiver, referral_id=referral.pk, version=2, outcome="Could not reach the family"
    )
    assert done.status == ReferralStatus.OUTCOME_REPORTED and done.delivered_at is None


@pytest.mark.parametrize(
    "change, error, message",
    [
        ({"need": "  "}, ValidationError, "State what is needed"),
        ({"due_at": None}, ValidationError, "Enter the date"),
        ({"due_at": dt.date(2020, 1, 1)}, ValidationError, "future"),
        ({"to_org": "own"}, ValidationError, "another organisation"),
        ({"to_org": "closed"}, ValidationError, "does not accept referrals"),
        ({"to_org": "missing"}, ValidationError, "known organisation"),
    ],
)
def test_a_bad_referral_is_refused_and_writes_nothing(sender, office, change, error, message):
    case = make_case(office)
    to = {
        "own": office,
        "closed": org("r-closed", OrgKind.NGO, accepts_referrals=False),
        "missing": Organisation(pk=987654),
    }.get(change.pop("to_org", None), org("r-ngo", OrgKind.NGO))
    with pytest.raises(error, match=message):
        send(sender, case, to, **change)
    assert not Referral.objects.exists()
    assert not CaseEvent.objects.exists()


def test_a_date_is_due_at_the_end_of_that_day(sender, office, hospital):
    today = timezone.localdate()
    referral = send(sender, make_case(office), hospital, due_at=today)
    assert timezone.localtime(referral.due_at).date() == today
    assert timezone.localtime(referral.due_at).time() == dt.time(23, 59, 59)


def test_a_second_open_referral_to_the_same_agency_is_a_duplicate(sender, office, hospital):
    case = make_case(office)
    first = send(sender, case, hospital)
    with pytest.raises(DuplicateError) as caught:
        send(sender, case, hospital)
    assert caught.value.existing == first


def test_outsiders_and_closed_cases(sender, receiver, outsider, make_user, office, hospital):
    case = make_case(office)
    with pytest.raises(NotInScopeError):
        send(outsider, case, hospital)
    referral = send(sender, case, hospital)
    far_away_colleague = make_user(Role.SOCIAL_WORKER, code="10", organisation=hospital)
    with pytest.raises(NotInScopeError):
        referrals.accept_referral(actor=far_away_colleague, referral_id=referral.pk, version=1)
    with pytest.raises(NotInScopeError):
        referrals.accept_referral(actor=receiver, referral_id=999999, version=1)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        referrals.accept_referral(actor=receiver, referral_id=referral.pk, version=1)


def test_a_sensitive_case_cannot_be_referred_by_an_unassigned_worker(sender, office, hospital):
    with pytest.raises(NotInScopeError):
        send(sender, make_case(office, sensitive=True), hospital)


def test_inbox_and_outbox_show_each_side_only_what_it_may_see(
    sender, receiver, make_user, office, hospital
):
    referral = send(sender, make_case(office), hospital)
    assert list(referral_selectors.referral_inbox(user=receiver)) == [referral]
    assert not referral_selectors.referral_outbox(user=receiver).exists()
    assert list(referral_selectors.referral_outbox(user=sender)) == [referral]
    assert not referral_selectors.referral_inbox(user=sender).exists()
    assert not referral_selectors.referral_inbox(user=receiver, status="accepted").exists()
    far_away_colleague = make_user(Role.SOCIAL_WORKER, code="10", organisation=hospital)
    assert not referral_selectors.referral_inbox(user=far_away_colleague).exists()
    no_org = make_user(Role.SOCIAL_WORKER)
    assert not referral_selectors.referral_inbox(user=no_org).exists()
    assert list(referral_selectors.referrals_of(user=receiver, case_id=referral.case_id)) == [
        referral
    ]
    assert not referral_selectors.referrals_of(
        user=far_away_colleague, case_id=referral.case_id
    ).exists()


def test_turnaround_per_receiving_agency_in_hours(sender, office, hospital):
    ngo = org("r-ngo2", OrgKind.NGO)
    t0 = timezone.now() - dt.timedelta(days=30)
    hours = dt.timedelta(hours=1)
    # Hospital: accepted after 1, 2, 3, 4 and 10 hours; outcomes after 24 and 48 hours.
    for i, accept_after in enumerate([1, 2, 3, 4, 10]):
        outcome = t0 + [24, 48][i] * hours if i < 2 else None
        Referral.objects.create(
            case=make_case(office),
            from_org=office,
            to_org=hospital,
            need="n",
            sent_by=sender,
            sent_at=t0,
            responded_at=t0 + accept_after * hours,
            status=ReferralStatus.OUTCOME_REPORTED if outcome else ReferralStatus.ACCEPTED,
            outcome_at=outcome,
        )
    # NGO: one declined after 5 hours (not an acceptance time), one still unanswered.
    for status, responded in (("declined", t0 + 5 * hours), ("sent", None)):
        Referral.objects.create(
            case=make_case(office),
            from_org=office,
            to_org=ngo,
            need="n",
            sent_by=sender,
            sent_at=t0,
            responded_at=responded,
            status=status,
        )
    rows = {
        r.organisation_id: r for r in referral_selectors.referral_turnaround(Referral.objects.all())
    }
    h = rows[hospital.pk]
    assert (h.referrals, h.declined, h.open) == (5, 0, 3)
    assert (h.accept_median_hours, h.accept_p90_hours) == (3.0, 7.6)
    assert (h.outcome_median_hours, h.outcome_p90_hours) == (36.0, 45.6)
    n = rows[ngo.pk]
    assert (n.referrals, n.declined, n.open) == (2, 1, 1)
    assert n.accept_median_hours is None and n.outcome_p90_hours is None
