"""The assignment pages: bulk (preview, confirm with its message), one household (assign,
reassign, unassign with history), a case's household, a volunteer's households, the
coverage chart; Bangkok staff and volunteers meet 404."""

import pytest
from django.urls import reverse

from onehome.cases.models import Case, Urgency
from onehome.volunteers.models import Assignment
from onehome.volunteers.tests import assignments_run
from onehome.volunteers.tests.factories import WIANG, assign, make_centre, make_volunteer

target_list = assignments_run.target_list
wiang_villages = assignments_run.wiang_villages


@pytest.fixture
def home(make_household, wiang_villages):
    return make_household(village=f"{WIANG}01", house_no="12/3")


@pytest.fixture
def staff_client(client, worker):
    client.force_login(worker)
    return client


def url(name, *args):
    return reverse(f"volunteers:{name}", args=args)


def test_bulk_preview_then_confirm_says_how_many_were_assigned(staff_client, worker, target_list):
    make_volunteer(worker, villages=(1,))
    make_volunteer(worker, villages=(2,))
    page = staff_client.get(url("assignments_bulk"), {"run": target_list.pk, "area": WIANG})
    assert page.status_code == 200
    plan = page.context["plan"]
    assert plan.to_assign == 5 and 'id="preview-table"' in page.content.decode()
    assert not Assignment.objects.exists()
    done = staff_client.post(
        url("assignments_bulk"),
        {"run": target_list.pk, "area": WIANG, "token": plan.token},
        follow=True,
    )
    assert Assignment.objects.filter(ended_at__isnull=True).count() == 5
    shown = [str(m) for m in done.context["messages"]]
    assert any("5" in m for m in shown), shown


def test_bulk_with_a_stale_token_shows_a_message_and_assigns_nothing(
    staff_client, worker, target_list
):
    make_volunteer(worker, villages=(1,))
    done = staff_client.post(
        url("assignments_bulk"),
        {"run": target_list.pk, "area": WIANG, "token": "0" * 64},
        follow=True,
    )
    assert done.status_code == 200
    assert [m.level_tag for m in done.context["messages"]] == ["error"]
    assert not Assignment.objects.exists()


def test_bulk_for_a_subdistrict_outside_the_area_shows_nothing(client, outsider, target_list):
    client.force_login(outsider)
    page = client.get(url("assignments_bulk"), {"run": target_list.pk, "area": WIANG})
    assert page.status_code == 200 and page.context["plan"] is None
    assert "T1" not in page.content.decode()


def test_assign_reassign_and_unassign_one_household_keeping_its_history(staff_client, worker, home):
    first, second = make_volunteer(worker), make_volunteer(worker, first_name="สมหญิง")
    page = staff_client.get(url("assignments_household", home.pk))
    choices = [c[0] for c in page.context["assign_form"].fields["volunteer"].choices]
    assert choices == [first.pk, second.pk]
    staff_client.post(url("assignments_assign", home.pk), {"volunteer": first.pk})
    missing = staff_client.post(url("assignments_reassign", home.pk), {"volunteer": second.pk})
    assert missing.status_code == 200 and missing.context["reassign_form"].errors
    staff_client.post(
        url("assignments_reassign", home.pk), {"volunteer": second.pk, "reason": "ย้ายบ้าน"}
    )
    current = Assignment.objects.get(ended_at__isnull=True)
    assert current.volunteer == second
    staff_client.post(url("assignments_end", current.pk), {"reason": "ครอบครัวย้ายออก"})
    page = staff_client.get(url("assignments_household", home.pk))
    assert page.context["current"] is None and len(page.context["history"]) == 2
    assert "ครอบครัวย้ายออก" in page.content.decode()


def test_the_volunteer_select_lists_only_the_subdistricts_working_volunteers(
    staff_client, worker, home
):
    mine = make_volunteer(worker)
    make_volunteer(worker, subdistrict="570102")
    make_volunteer(worker, status="resting")
    page = staff_client.get(url("assignments_household", home.pk))
    assert [c[0] for c in page.context["assign_form"].fields["volunteer"].choices] == [mine.pk]


def test_assign_a_cases_household(staff_client, worker, home):
    volunteer = make_volunteer(worker)
    case = Case.objects.create(
        number="VA-P0001",
        urgency=Urgency.NORMAL,
        category="elderly",
        title="test case",
        subdistrict_id=WIANG,
        owner=make_centre(),
        household=home,
    )
    assert staff_client.get(url("assignments_case", case.pk)).status_code == 200
    staff_client.post(url("assignments_case", case.pk), {"volunteer": ""})
    assert Assignment.objects.get().volunteer == volunteer


def test_a_volunteers_households_page_shows_their_load(staff_client, worker, home):
    volunteer = make_volunteer(worker)
    assign(volunteer, home, by=worker)
    page = staff_client.get(url("assignments_volunteer", volunteer.pk))
    assert [a.household for a in page.context["rows"]] == [home]


def test_coverage_page_draws_a_bar_per_village(staff_client, worker, target_list):
    page = staff_client.get(url("assignments_coverage"), {"run": target_list.pk, "area": WIANG})
    assert page.status_code == 200
    body = page.content.decode()
    assert "bar-chart" in body and 'id="coverage-table"' in body
    assert page.context["result"].area.targets == 5


def test_outsiders_and_volunteers_meet_not_found_on_every_page(client, worker, outsider, home):
    volunteer = make_volunteer(worker)
    a = assign(volunteer, home, by=worker)
    case = Case.objects.create(
        number="VA-P0002",
        urgency=Urgency.NORMAL,
        category="elderly",
        title="t",
        subdistrict_id=WIANG,
        owner=make_centre(),
        household=home,
    )
    gets = [
        url("assignments_household", home.pk),
        url("assignments_case", case.pk),
        url("assignments_volunteer", volunteer.pk),
    ]
    posts = [
        (url("assignments_assign", home.pk), {"volunteer": volunteer.pk}),
        (url("assignments_reassign", home.pk), {"volunteer": volunteer.pk, "reason": "x"}),
        (url("assignments_end", a.pk), {"reason": "x"}),
        (url("assignments_case", case.pk), {"volunteer": ""}),
    ]
    for user in (outsider, volunteer.user):
        client.force_login(user)
        for address in gets:
            assert client.get(address).status_code == 404, (user, address)
        for address, data in posts:
            assert client.post(address, data).status_code == 404, (user, address)
    client.force_login(volunteer.user)
    assert client.get(url("assignments_bulk")).status_code == 404
    assert client.get(url("assignments_coverage")).status_code == 404
    assert Assignment.objects.get().is_open
