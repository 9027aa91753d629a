"""The development plan's pages and API: the plan page (goals per dimension, progress, who
helps, due dates in พ.ศ., follow-ups), agreeing it, adding and editing goals, steps, the
centre's overdue list; and 404 for everyone outside on every page and endpoint."""

import pytest
from django.urls import reverse

from onehome.access.models import AuditEvent, Role, ScopeLevel
from onehome.cases.models import GoalStatus, PlanGoal
from onehome.core import thai_dates
from onehome.volunteers.development import services as development
from onehome.volunteers.models import FollowUp, HouseholdPlan
from onehome.volunteers.tests.development_helpers import *  # noqa: F403 - its fixtures
from onehome.volunteers.tests.development_helpers import in_days, start, today
from onehome.volunteers.tests.factories import make_volunteer

pytestmark = pytest.mark.usefixtures("english", "english_pages")


def add_goal(home, plan, agency, **kw):
    values = {
        "dimension": "income",
        "goal": "A steady income",
        "action": "Join the weaving group",
        "due_date": in_days(60),
        "agency_id": agency.pk,
    }
    values.update(kw)
    return development.add_household_goal(actor=home.volunteer.user, plan_id=plan.pk, **values)


def test_the_plan_page_shows_goals_progress_and_buddhist_era_dates(client, home, agency):
    plan = start(home)
    goal = add_goal(home, plan, agency, progress=35)
    client.force_login(home.volunteer.user)
    with thai_dates_in_thai(client):
        page = client.get(reverse("volunteers:development_plan", args=[home.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert goal.goal in body and "35%" in body and agency.name_th in body
    assert str(goal.due_date.year + 543) in body
    assert AuditEvent.objects.filter(
        purpose="development plan", actor_id=home.volunteer.user.pk
    ).exists()


class thai_dates_in_thai:
    def __init__(self, client):
        self.client = client

    def __enter__(self):
        self.client.cookies["django_language"] = "th"

    def __exit__(self, *exc):
        self.client.cookies["django_language"] = "en"


def test_agreeing_a_plan_and_adding_a_goal_through_the_pages(client, home, agency):
    client.force_login(home.volunteer.user)
    url = reverse("volunteers:development_plan_start", args=[home.pk])
    response = client.post(
        url,
        {
            "agreed_on": thai_dates.format_input(today()),
            "agreed_with": home.head.pk,
            "follow_up_days": 30,
        },
    )
    assert response.status_code == 302
    plan = HouseholdPlan.objects.get(household=home)
    add = reverse("volunteers:development_goal_add", args=[home.pk])
    form = client.get(add, {"dimension": "health", "goal": "Meet: clean water"})
    assert "Meet: clean water" in form.content.decode()
    response = client.post(
        add,
        {
            "dimension": "health",
            "goal": "Clean water",
            "action": "Buy a filter",
            "volunteer": home.volunteer.pk,
            "due_date": thai_dates.format_input(in_days(30)),
            "progress": 10,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    goal = PlanGoal.objects.get(household_plan=plan)
    assert (goal.volunteer, goal.progress) == (home.volunteer, 10)


def test_a_goal_without_anyone_who_helps_is_refused_on_the_form(client, home):
    start(home)
    client.force_login(home.volunteer.user)
    response = client.post(
        reverse("volunteers:development_goal_add", args=[home.pk]),
        {
            "dimension": "health",
            "goal": "Clean water",
            "action": "Buy a filter",
            "due_date": thai_dates.format_input(in_days(30)),
            "progress": 0,
        },
    )
    assert response.status_code == 200
    assert "Choose who helps" in response.content.decode()
    assert not PlanGoal.objects.exists()


def test_editing_progress_and_closing_a_goal_on_the_pages(client, home, agency):
    plan = start(home)
    goal = add_goal(home, plan, agency)
    client.force_login(home.volunteer.user)
    edit = reverse("volunteers:development_goal_edit", args=[home.pk, goal.pk])
    response = client.post(
        edit,
        {
            "version": 1,
            "dimension": goal.dimension,
            "goal": goal.goal,
            "action": goal.action,
            "agency": agency.pk,
            "due_date": thai_dates.format_input(goal.due_date),
            "progress": 70,
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.progress, goal.version) == (70, 2)
    step = reverse("volunteers:development_goal_step", args=[home.pk, goal.pk, "drop"])
    client.post(step, {"version": 2, "text": ""})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN  # a drop needs its reason
    client.post(step, {"version": 2, "text": "family moved"})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DROPPED


def test_the_centre_sees_overdue_follow_ups_oldest_first(client, home, staff):
    start(home, agreed_on=in_days(-70))
    FollowUp.objects.create(household=home, due_on=in_days(-60))
    client.force_login(staff)
    page = client.get(reverse("volunteers:development_overdue"))
    body = page.content.decode()
    assert page.status_code == 200 and "2 overdue visits" in body
    assert body.index("40 days late") > body.index("60 days late")


def test_the_plan_through_the_api(client, home, agency):
    client.force_login(home.volunteer.user)
    base = f"/api/volunteers/households/{home.pk}/plan/"
    created = client.post(
        base,
        {"agreed_on": today().isoformat(), "agreed_with": home.head.pk, "follow_up_days": 14},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    goal = client.post(
        base + "goals/",
        {
            "dimension": "living",
            "goal": "Fix the roof",
            "action": "Ask the tambon",
            "agency": agency.pk,
            "due_date": in_days(20).isoformat(),
        },
        content_type="application/json",
    )
    assert goal.status_code == 201, goal.content
    goal_id = goal.json()["id"]
    assert {s["action"] for s in goal.json()["next_steps"]} == {"done", "drop"}
    stale = client.patch(
        f"{base}goals/{goal_id}/", {"progress": 50}, content_type="application/json"
    )
    assert stale.status_code == 428
    moved = client.patch(
        f"{base}goals/{goal_id}/",
        {"progress": 50},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert moved.status_code == 200 and moved.json()["progress"] == 50
    done = client.post(
        f"{base}goals/{goal_id}/done/", {"version": 2}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    plan = client.get(base).json()
    assert plan["follow_up_days"] == 14 and len(plan["goals"]) == 1
    assert plan["follow_ups"][0]["due_on"] == in_days(14).isoformat()
    assert client.get(base + "proposals/").status_code == 200


def test_outsiders_get_404_on_every_page_and_endpoint(client, home, agency, outsider, worker):
    plan = start(home)
    goal = add_goal(home, plan, agency)
    stranger = make_volunteer(worker)  # a volunteer of the same tambon, not assigned
    pages = [
        ("get", reverse("volunteers:development_plan", args=[home.pk])),
        ("post", reverse("volunteers:development_plan_start", args=[home.pk])),
        ("get", reverse("volunteers:development_goal_add", args=[home.pk])),
        ("get", reverse("volunteers:development_goal_edit", args=[home.pk, goal.pk])),
        ("post", reverse("volunteers:development_goal_step", args=[home.pk, goal.pk, "done"])),
        ("get", f"/api/volunteers/households/{home.pk}/plan/"),
        ("get", f"/api/volunteers/households/{home.pk}/plan/proposals/"),
        ("post", f"/api/volunteers/households/{home.pk}/plan/goals/"),
        ("patch", f"/api/volunteers/households/{home.pk}/plan/goals/{goal.pk}/"),
        ("post", f"/api/volunteers/households/{home.pk}/plan/goals/{goal.pk}/done/"),
    ]
    for who in (outsider, stranger.user):
        client.force_login(who)
        for method, url in pages:
            response = getattr(client, method)(url, {}, content_type="application/json")
            assert response.status_code == 404, (who, method, url, response.status_code)
    # The overdue list of an outsider's area holds nothing of Chiang Rai's.
    FollowUp.objects.update(due_on=in_days(-5))
    client.force_login(outsider)
    assert client.get("/api/volunteers/follow-ups/overdue/").json() == []


def test_a_volunteer_does_not_read_the_centres_overdue_list(client, home, make_user):
    client.force_login(home.volunteer.user)
    assert client.get(reverse("volunteers:development_overdue")).status_code == 404
    reader = make_user(Role.INSPECTOR, level=ScopeLevel.SUBDISTRICT, code="570101")
    client.force_login(reader)
    assert client.get(reverse("volunteers:development_overdue")).status_code == 200
