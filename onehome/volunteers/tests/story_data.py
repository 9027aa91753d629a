"""A household with a whole story for the story tests: two members, a volunteer who
followed it before the one who does now, two visits with record book entries, an agreed
plan with a goal and an overdue follow-up, the course, and two cases about its members
(one ordinary, one sensitive that the staff reader may open only by breaking the glass)."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from onehome.access.models import Role
from onehome.cases.intake import services as intake
from onehome.cases.intake import triage
from onehome.cases.models import PlanGoal
from onehome.geo.models import Subdistrict
from onehome.orgs.models import Organisation, OrgKind
from onehome.registry import services as registry
from onehome.volunteers.models import (
    Enrollment,
    FollowUp,
    HouseholdPlan,
    RecordBookEntry,
    Visit,
)
from onehome.volunteers.tests.factories import WIANG, assign, make_volunteer

DAY = dt.timedelta(days=1)


def _report(actor, person, category, subcategory, summary):
    return intake.create_report(
        actor=actor, channel="hotline", call_type="new", subdistrict=WIANG,
        category=category, subcategory=subcategory, summary=summary,
        parties=[{"role": "victim", "person_id": person.pk}],
    )  # fmt: skip


def build_story(*, worker, make_user, make_person, make_household) -> SimpleNamespace:
    office = Organisation.objects.create(
        code="t-story-psdhs-57", kind=OrgKind.PROVINCIAL_OFFICE, name_th="สำนักงาน พม. เชียงราย",
        province_id="57",
    )  # fmt: skip
    office.serves.set(Subdistrict.objects.filter(province_id="57"))
    boss = make_user(Role.SUPERVISOR, organisation=office)
    household = make_household(house_no="99/1")
    head = make_person("มาลี", "ทองดี")
    child = make_person("ต้นกล้า", "ทองดี", birth_year=2012)
    registry.add_member(actor=worker, household_id=household.pk, person_id=head.pk,
                        relationship="head", since=dt.date(2020, 1, 1))  # fmt: skip
    registry.add_member(actor=worker, household_id=household.pk, person_id=child.pk,
                        relationship="child", since=dt.date(2020, 1, 1))  # fmt: skip
    before = make_volunteer(worker, first_name="ก่อน")
    volunteer = make_volunteer(worker, first_name="อาสา")
    earlier = assign(before, household, by=worker)
    earlier.ended_at, earlier.end_reason = timezone.now() - DAY, "ย้ายหมู่บ้าน"
    earlier.save()
    assign(volunteer, household, by=worker)
    today = timezone.localdate()
    visits = []
    for k, (on, deprived) in enumerate(((today - 60 * DAY, True), (today - 5 * DAY, False))):
        visit = Visit.objects.create(
            household=household, volunteer=volunteer, visited_on=on, questionnaire="t1",
            answers={"income_ok": not deprived}, needs=["อาชีพ"] if deprived else [],
            notes=f"บันทึกเยี่ยม {k}", recorded_by=volunteer.user,
        )  # fmt: skip
        visit.present.add(head)
        RecordBookEntry.objects.create(
            household=household, visit=visit, dimension="income", question="income_ok",
            value=not deprived, deprived=deprived, recorded_on=on,
        )  # fmt: skip
        visits.append(visit)
    plan = HouseholdPlan.objects.create(household=household, agreed_on=today - 50 * DAY,
                                        created_by=worker)  # fmt: skip
    goal = PlanGoal.objects.create(
        household_plan=plan, dimension="income", goal="มีรายได้พอเลี้ยงครอบครัว",
        action="ฝึกอาชีพทำขนม", volunteer=volunteer, due_date=today + 60 * DAY, progress=40,
        created_by=worker,
    )  # fmt: skip
    FollowUp.objects.create(household=household, due_on=today - 20 * DAY, visit=visits[0])
    FollowUp.objects.create(household=household, due_on=today - 3 * DAY)
    Enrollment.objects.create(household=household, status="in_progress",
                              enrolled_on=today - 70 * DAY, created_by=worker)  # fmt: skip
    plain = _report(worker, head, "elderly", "elderly_no_income", "ไม่มีรายได้")
    plain_case = triage.accept_report(actor=boss, report_id=plain.pk, version=plain.version)
    hidden = _report(worker, child, "violence", "violence_child", "เด็กถูกทำร้าย")
    hidden_case = triage.accept_report(actor=boss, report_id=hidden.pk, version=hidden.version)
    assert hidden_case.sensitive and not plain_case.sensitive
    return SimpleNamespace(
        household=household, head=head, child=child, volunteer=volunteer, before=before,
        visits=visits, plan=plan, goal=goal, plain_case=plain_case, hidden_case=hidden_case,
        boss=boss,
    )  # fmt: skip
