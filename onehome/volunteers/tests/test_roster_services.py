# ruff: noqa: F811 (the fixtures imported from roster_helpers are parameters here)
"""Keeping volunteer records: registering from the registry, the statuses, the term,
trainings, awards, clubs and the login, and refusals that change nothing."""

import datetime as dt

import pytest

from onehome.access.models import AuditEvent, Role, User
from onehome.errors import DuplicateError, NotInScopeError, StaleVersionError, ValidationError
from onehome.volunteers.models import Training, Volunteer, VolunteerClub
from onehome.volunteers.roster import logins, services, statuses
from onehome.volunteers.roster.selectors import counts_by_status, volunteers_in_scope
from onehome.volunteers.tests.factories import WIANG, assign, make_volunteer
from onehome.volunteers.tests.roster_helpers import (  # noqa: F401 (fixtures)
    bangkok_staff,
    centre,
    new_record,
    person,
    reader,
    staff,
    villages,
)

pytestmark = pytest.mark.django_db
APPOINTED, TERM_END = dt.date(2025, 3, 1), dt.date(2029, 2, 28)


def _move(actor, v, to, **kw):
    v.refresh_from_db()
    return statuses.move_volunteer(
        actor=actor, volunteer_id=v.pk, to_status=to, version=v.version, **kw
    )


def test_staff_register_a_person_of_the_registry_as_a_candidate(staff, person, centre, villages):
    v = services.register_volunteer(actor=staff, **new_record(person, centre, phone="0812345678"))
    assert v.status == "candidate" and v.person == person and v.subdistrict_id == WIANG
    assert [x.code for x in v.villages.all()] == [f"{WIANG}01"]
    row = AuditEvent.objects.get(object_type="volunteers.volunteer", action="create")
    assert row.actor_id == staff.pk and row.after["villages"] == [f"{WIANG}01"]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"villages": ["57010201"]}, "sub-district"),
        ({"villages": []}, "villages"),
        ({"appointed_on": APPOINTED, "term_ends_on": APPOINTED}, "term"),
        ({"term_ends_on": TERM_END}, "appointment"),
        ({"centre_id": None}, "centre"),
        ({"phone": "not a phone"}, "phone"),
    ],
)
def test_a_wrong_record_is_refused_and_nothing_saved(
    staff, person, centre, villages, over, message, english
):
    with pytest.raises(ValidationError) as exc:
        services.register_volunteer(actor=staff, **new_record(person, centre, **over))
    assert message in str(exc.value.messages[0])
    assert not Volunteer.objects.exists()


def test_staff_of_another_province_cannot_register_here(bangkok_staff, person, centre, villages):
    with pytest.raises(NotInScopeError):
        services.register_volunteer(actor=bangkok_staff, **new_record(person, centre))
    assert not Volunteer.objects.exists()


def test_a_reader_may_not_register(reader, person, centre, villages):
    with pytest.raises(NotInScopeError):
        services.register_volunteer(actor=reader, **new_record(person, centre))


def test_a_person_holds_one_volunteer_record(staff, person, centre, villages):
    first = services.register_volunteer(actor=staff, **new_record(person, centre))
    with pytest.raises(DuplicateError) as exc:
        services.register_volunteer(actor=staff, **new_record(person, centre))
    assert exc.value.existing == first


def test_every_status_move_from_candidate_to_left(staff, person, centre, villages):
    v = services.register_volunteer(actor=staff, **new_record(person, centre))
    assert _move(staff, v, "trained").status == "trained"
    v = _move(staff, v, "appointed", appointed_on=APPOINTED, term_ends_on=TERM_END)
    assert (v.status, v.appointed_on, v.term_ends_on) == ("appointed", APPOINTED, TERM_END)
    assert _move(staff, v, "active").status == "active"
    assert _move(staff, v, "resting").status == "resting"
    assert _move(staff, v, "active").status == "active"
    assert _move(staff, v, "left", reason="ย้ายไปต่างจังหวัด").status == "left"
    purposes = list(
        AuditEvent.objects.filter(object_type="volunteers.volunteer", action="update")
        .order_by("id")
        .values_list("purpose", flat=True)
    )
    assert purposes == ["train", "appoint", "activate", "rest", "resume", "leave: ย้ายไปต่างจังหวัด"]


@pytest.mark.parametrize(
    ("start", "to"), [("candidate", "active"), ("trained", "resting"), ("left", "active")]
)
def test_a_move_outside_the_table_is_refused(staff, start, to):
    v = make_volunteer(staff, status=start)
    with pytest.raises(ValidationError):
        _move(staff, v, to)
    v.refresh_from_db()
    assert v.status == start and v.version == 1


def test_leaving_needs_a_reason(staff):
    v = make_volunteer(staff)
    with pytest.raises(ValidationError):
        _move(staff, v, "left", reason="  ")
    v.refresh_from_db()
    assert v.status == "active"


def test_appointing_needs_a_term_that_ends_after_the_appointment(staff):
    v = make_volunteer(staff, status="trained")
    Volunteer.objects.filter(pk=v.pk).update(appointed_on=None, term_ends_on=None)
    with pytest.raises(ValidationError):
        _move(staff, v, "appointed")
    with pytest.raises(ValidationError):
        _move(staff, v, "appointed", appointed_on=APPOINTED, term_ends_on=dt.date(2024, 1, 1))
    v.refresh_from_db()
    assert v.status == "trained" and v.term_ends_on is None


def test_a_stale_version_is_refused(staff):
    v = make_volunteer(staff, status="candidate")
    with pytest.raises(StaleVersionError):
        statuses.move_volunteer(actor=staff, volunteer_id=v.pk, to_status="trained", version=7)


def test_moves_outside_the_area_or_role_answer_not_found(staff, bangkok_staff, reader):
    v = make_volunteer(staff, status="candidate")
    for actor in (bangkok_staff, reader):
        with pytest.raises(NotInScopeError):
            _move(actor, v, "trained")
    assert statuses.VOLUNTEERS.allowed_next(v, reader) == []


def test_leaving_deactivates_the_volunteers_own_login_and_says_what_stays(staff, make_household):
    v = make_volunteer(staff)
    assign(v, make_household(), by=staff)
    v = _move(staff, v, "left", reason="ลาออก")
    login = User.objects.get(pk=v.user_id)
    assert not login.is_active and v.user_id == login.pk  # kept for the history
    after = statuses.leave_consequences(v)
    assert after == statuses.LeaveConsequences(
        login_closed=login.username, login_kept="", households_assigned=1
    )


def test_leaving_leaves_a_login_with_other_roles_active(staff):
    v = make_volunteer(staff)
    User.objects.filter(pk=v.user_id).update(roles=[Role.VOLUNTEER, Role.CENTRE_STAFF])
    v = _move(staff, v, "left", reason="ลาออก")
    assert User.objects.get(pk=v.user_id).is_active
    assert statuses.leave_consequences(v).login_kept


def test_tie_a_new_login_scoped_to_the_volunteers_subdistrict(staff):
    v = make_volunteer(staff, with_login=False)
    login = logins.tie_login(
        actor=staff, volunteer_id=v.pk, version=v.version, username="somsri",
        password="Long-enough-pass-2569",
    )  # fmt: skip
    assert login.roles == [Role.VOLUNTEER]
    assert (login.scope_level, login.scope_code) == ("subdistrict", WIANG)
    assert login.organisation_id == v.centre_id and login.check_password("Long-enough-pass-2569")
    v.refresh_from_db()
    assert v.user == login and v.version == 2


def test_a_staff_login_cannot_be_tied_to_a_volunteer(staff):
    v = make_volunteer(staff, with_login=False)
    with pytest.raises(ValidationError):
        logins.tie_login(actor=staff, volunteer_id=v.pk, version=1, username=staff.username)
    v.refresh_from_db()
    assert v.user is None


def test_an_existing_volunteer_login_of_the_subdistrict_can_be_tied(staff):
    loose = User.objects.create_user(
        username="loose", roles=[Role.VOLUNTEER], scope_level="subdistrict", scope_code=WIANG
    )
    v = make_volunteer(staff, with_login=False)
    assert logins.tie_login(actor=staff, volunteer_id=v.pk, version=1, username="loose") == loose


def test_a_record_with_a_login_gets_no_second_one(staff):
    v = make_volunteer(staff)
    with pytest.raises(ValidationError):
        logins.tie_login(actor=staff, volunteer_id=v.pk, version=1, username="x", password="y")


def test_trainings_and_awards_are_recorded_and_audited(staff):
    v = make_volunteer(staff)
    t = services.record_training(
        actor=staff, volunteer_id=v.pk, course="หลักสูตร อพม.", completed_on=dt.date(2025, 2, 1),
        hours=18,
    )  # fmt: skip
    a = services.record_award(
        actor=staff, volunteer_id=v.pk, award="อพม. ดีเด่น", given_on=dt.date(2025, 8, 1)
    )
    assert list(v.trainings.all()) == [t] and list(v.awards.all()) == [a]
    assert AuditEvent.objects.filter(object_type="volunteers.training").exists()
    assert AuditEvent.objects.filter(object_type="volunteers.recognition").exists()


def test_a_training_in_the_future_is_refused(staff):
    v = make_volunteer(staff)
    with pytest.raises(ValidationError):
        services.record_training(
            actor=staff, volunteer_id=v.pk, course="x",
            completed_on=dt.date.today() + dt.timedelta(days=2),
        )  # fmt: skip
    assert not Training.objects.exists()


def test_an_edit_checks_the_villages_and_moves_the_login_with_the_subdistrict(staff, villages):
    v = make_volunteer(staff)
    with pytest.raises(ValidationError):
        services.update_volunteer(actor=staff, volunteer_id=v.pk, version=1, villages=["57010201"])
    v = services.update_volunteer(
        actor=staff, volunteer_id=v.pk, version=1, subdistrict="570102", villages=["57010201"]
    )
    assert v.subdistrict_id == "570102" and v.version == 2
    assert User.objects.get(pk=v.user_id).scope_code == "570102"


def test_staff_create_a_club_in_their_area_only(staff, bangkok_staff):
    club = services.create_club(actor=staff, name="ชมรม อพม. เมืองเชียงราย", subdistrict=WIANG)
    assert club.subdistrict_id == WIANG
    with pytest.raises(NotInScopeError):
        services.create_club(actor=bangkok_staff, name="ชมรมอื่น", subdistrict=WIANG)
    with pytest.raises(ValidationError):
        services.create_club(actor=staff, name="ชมรม อพม. เมืองเชียงราย", subdistrict=WIANG)
    assert VolunteerClub.objects.count() == 1


def test_counts_per_status_name_every_status(staff, reader):
    make_volunteer(staff, status="active")
    make_volunteer(staff, status="active")
    make_volunteer(staff, status="resting")
    counts = counts_by_status(volunteers_in_scope(reader))
    assert counts["active"] == 2 and counts["resting"] == 1 and counts["left"] == 0
