"""Bulk assignment from a target list: the preview writes nothing, the confirmation writes
all of the plan or nothing, refuses a stale preview, repeats harmlessly, skips households
already followed; and the coverage of the list per area."""

import pytest

from onehome.access.models import AuditEvent
from onehome.errors import NotInScopeError, ValidationError
from onehome.registry.models import Household
from onehome.targeting.results.registry_links import link_household
from onehome.volunteers.assignments import services
from onehome.volunteers.assignments.coverage import coverage
from onehome.volunteers.models import Assignment, AssignmentSource, VolunteerStatus
from onehome.volunteers.tests import assignments_run
from onehome.volunteers.tests.factories import WIANG, make_volunteer

target_list = assignments_run.target_list
wiang_villages = assignments_run.wiang_villages


@pytest.fixture
def crew(worker, wiang_villages):
    """Two volunteers of village 1, one of village 2, one resting (never chosen)."""
    return (
        make_volunteer(worker, villages=(1,)),
        make_volunteer(worker, villages=(1,)),
        make_volunteer(worker, villages=(2,)),
        make_volunteer(worker, villages=(2,), status=VolunteerStatus.RESTING),
    )


def plan(worker, run):
    return services.plan_bulk_assignment(actor=worker, run_id=run.pk, subdistrict=WIANG)


def test_the_preview_spreads_by_village_then_load_and_writes_nothing(worker, target_list, crew):
    a1, a2, b1, _resting = crew
    households, audits = Household.objects.count(), AuditEvent.objects.count()
    preview = plan(worker, target_list)
    assert [(r.survey_household, r.volunteer, r.of_village) for r in preview.rows] == [
        ("T1", a1, True),
        ("T2", a2, True),
        ("T3", a1, True),
        ("T4", b1, True),
        ("T5", b1, True),
    ]
    assert [(s.id, s.load_before, s.load) for s in preview.loads] == [
        (a1.pk, 0, 2),
        (a2.pk, 0, 1),
        (b1.pk, 0, 2),
    ]
    assert preview.to_assign == 5
    assert plan(worker, target_list).token == preview.token  # deterministic
    assert not Assignment.objects.exists()
    assert (Household.objects.count(), AuditEvent.objects.count()) == (households, audits)


def test_households_of_a_village_without_volunteer_are_named_in_the_preview(worker, target_list):
    only = make_volunteer(worker, villages=(1,))
    preview = plan(worker, target_list)
    assert [r.survey_household for r in preview.outside_village] == ["T4", "T5"]
    assert {r.volunteer for r in preview.rows} == {only}


def test_confirm_writes_the_previewed_plan_and_registers_households_from_the_survey(
    worker, target_list, crew
):
    preview = plan(worker, target_list)
    result = services.confirm_bulk_assignment(
        actor=worker, run_id=target_list.pk, subdistrict=WIANG, token=preview.token
    )
    assert result.assigned == 5 and not result.repeated
    rows = Assignment.objects.filter(ended_at__isnull=True)
    assert rows.count() == 5
    assert {a.source for a in rows} == {AssignmentSource.TARGET_LIST}
    assert {a.run_id for a in rows} == {target_list.pk}
    by_village = {a.household.village_id: set() for a in rows}
    for a in rows:
        by_village[a.household.village_id].add(a.volunteer_id)
    assert by_village == {f"{WIANG}01": {crew[0].pk, crew[1].pk}, f"{WIANG}02": {crew[2].pk}}
    assert AuditEvent.objects.filter(object_type="volunteers.assignment").count() == 5


def test_a_confirmation_sent_twice_assigns_once(worker, target_list, crew):
    token = plan(worker, target_list).token
    first = services.confirm_bulk_assignment(
        actor=worker, run_id=target_list.pk, subdistrict=WIANG, token=token
    )
    again = services.confirm_bulk_assignment(
        actor=worker, run_id=target_list.pk, subdistrict=WIANG, token=token
    )
    assert again.repeated and again.assigned == first.assigned == 5
    assert Assignment.objects.count() == 5


def test_a_stale_preview_is_refused_and_nothing_is_written(worker, target_list, crew):
    token = plan(worker, target_list).token
    household, _ = link_household(actor=worker, run_id=target_list.pk, household_id="T1")
    services.assign_household(actor=worker, household_id=household.pk, volunteer_id=crew[1].pk)
    with pytest.raises(ValidationError) as refused:
        services.confirm_bulk_assignment(
            actor=worker, run_id=target_list.pk, subdistrict=WIANG, token=token
        )
    assert refused.value.code == "stale_preview"
    assert Assignment.objects.count() == 1


def test_households_already_followed_are_skipped(worker, target_list, crew):
    household, _ = link_household(actor=worker, run_id=target_list.pk, household_id="T1")
    kept = services.assign_household(
        actor=worker, household_id=household.pk, volunteer_id=crew[2].pk
    )
    preview = plan(worker, target_list)
    assert [r.status for r in preview.rows][0] == "already"
    result = services.confirm_bulk_assignment(
        actor=worker, run_id=target_list.pk, subdistrict=WIANG, token=preview.token
    )
    assert result.assigned == 4
    assert Assignment.objects.get(household=household, ended_at__isnull=True).pk == kept.pk


def test_confirm_is_all_or_nothing(worker, target_list, crew, monkeypatch):
    from onehome.volunteers.assignments import bulk

    token = plan(worker, target_list).token
    calls = []
    real = bulk.open_new

    def fail_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ValidationError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(bulk, "open_new", fail_on_the_third)
    households = Household.objects.count()
    with pytest.raises(ValidationError):
        services.confirm_bulk_assignment(
            actor=worker, run_id=target_list.pk, subdistrict=WIANG, token=token
        )
    assert not Assignment.objects.exists()
    assert Household.objects.count() == households


def test_bulk_from_outside_the_area_is_not_found(outsider, target_list, crew):
    with pytest.raises(NotInScopeError):
        services.plan_bulk_assignment(actor=outsider, run_id=target_list.pk, subdistrict=WIANG)
    with pytest.raises(NotInScopeError):
        services.confirm_bulk_assignment(
            actor=outsider, run_id=target_list.pk, subdistrict=WIANG, token="x" * 64
        )
    assert not Assignment.objects.exists()


def test_coverage_counts_target_households_with_and_without_a_volunteer(worker, target_list, crew):
    before = coverage(user=worker, run_id=target_list.pk, area=WIANG)
    assert (before.area.targets, before.area.with_volunteer) == (5, 0)
    household, _ = link_household(actor=worker, run_id=target_list.pk, household_id="T4")
    services.assign_household(actor=worker, household_id=household.pk, volunteer_id=crew[2].pk)
    after = coverage(user=worker, run_id=target_list.pk, area=WIANG)
    counts = {r.code: (r.targets, r.with_volunteer, r.without_volunteer) for r in after.rows}
    assert counts[f"{WIANG}01"] == (3, 0, 3)
    assert counts[f"{WIANG}02"] == (2, 1, 1)
    district = coverage(user=worker, run_id=target_list.pk, area=WIANG[:4])
    row = next(r for r in district.rows if r.code == WIANG)
    assert (row.targets, row.with_volunteer) == (5, 1)


def test_coverage_outside_the_area_is_not_found(outsider, worker, target_list):
    with pytest.raises(NotInScopeError):
        coverage(user=outsider, run_id=target_list.pk, area=WIANG)
    with pytest.raises(NotInScopeError):
        coverage(user=worker, run_id=target_list.pk, area="10")  # Bangkok
