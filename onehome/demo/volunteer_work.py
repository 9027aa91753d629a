"""What happens in the demo's assigned households (`volunteers` builds the roster and the
assignments): the course, monthly home visits with the family record book's answers, the
development plan and its goals, follow-ups, help requests and offline conflicts.

Each assigned household plays one stage of the story in turn (`STAGES`), so every course
status and every plan state appears whatever the load's size: just enrolled (one visit,
a draft plan or none), plan agreed, in progress (some with the visits lapsed, so their
follow-ups are overdue), graduated out of poverty, left the project. Answers get better
visit after visit in the households that progress, so the record book's chart moves.

Help requests go through the case intake as the volunteer (or, for a volunteer without a
login, the social worker typing in their paper form), and most are accepted into cases;
`case_clock.Clock` backdates them like the demo's own cases. Everything else is bulk
inserts with dates set in the past.
"""

import datetime as dt
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from onehome.access.models import User
from onehome.cases.intake import services as intake
from onehome.cases.intake import triage
from onehome.cases.models import GoalStatus, PlanGoal
from onehome.registry.models import Membership, Person, Relationship
from onehome.targeting.models import Run
from onehome.volunteers.models import (
    Assignment,
    ChangeOutcome,
    ChangeTarget,
    Conflict,
    ConflictStatus,
    CourseStatus,
    Enrollment,
    FollowUp,
    GraduationEvidence,
    HelpKind,
    HelpRequest,
    HouseholdPlan,
    OfflineChange,
    RecordBookEntry,
    Visit,
)

from . import demo_questions
from .case_clock import Clock

DAY = dt.timedelta(days=1)
ENROLLED, AGREED, IN_PROGRESS, LAPSED, GRADUATED, LEFT = (
    "enrolled", "plan_agreed", "in_progress", "lapsed", "graduated", "left",
)  # fmt: skip
# One stage per household in turn: most in progress, every state present.
STAGES = (IN_PROGRESS, ENROLLED, AGREED, GRADUATED, LAPSED, IN_PROGRESS, LEFT, AGREED,
          IN_PROGRESS, GRADUATED, ENROLLED, IN_PROGRESS)  # fmt: skip
COURSE = {ENROLLED: CourseStatus.ENROLLED, AGREED: CourseStatus.PLAN_AGREED,
          IN_PROGRESS: CourseStatus.IN_PROGRESS, LAPSED: CourseStatus.IN_PROGRESS,
          GRADUATED: CourseStatus.GRADUATED, LEFT: CourseStatus.LEFT}  # fmt: skip
GOALS = {
    "health": ("ทุกคนในบ้านได้รับการตรวจสุขภาพและกินยาตามแพทย์สั่ง", "ประสาน รพ.สต. เยี่ยมบ้าน"),
    "living": ("บ้านมั่นคง ไม่รั่วซึม มีน้ำสะอาดพอใช้ตลอดปี", "ขอรับการซ่อมแซมบ้านผู้มีรายได้น้อย"),
    "education": ("เด็กในบ้านได้เรียนต่อจนจบการศึกษาภาคบังคับ", "ประสานโรงเรียนและทุนการศึกษา"),
    "income": ("มีรายได้ไม่ต่ำกว่าเกณฑ์ จปฐ. (38,000 บาท/คน/ปี)", "ฝึกอาชีพและหาตลาดให้ผลผลิต"),
    "access": ("ได้รับสวัสดิการที่มีสิทธิ์ครบ (เบี้ยยังชีพ บัตรคนพิการ)", "พาไปลงทะเบียนสิทธิ์"),
}
HELP = (  # (kind, issue, sub-problem, summary, amount, items)
    (HelpKind.CASH_AID, "homeless", "destitute_no_income",
     "ครอบครัวขาดรายได้ หัวหน้าครัวเรือนป่วย ขอเงินสงเคราะห์ครอบครัวผู้มีรายได้น้อย", 3000, ""),
    (HelpKind.RELIEF_ITEMS, "elderly", "elderly_no_income",
     "ผู้สูงอายุไม่มีรายได้ อาหารไม่พอถึงสิ้นเดือน ขอถุงยังชีพ", None, "ถุงยังชีพ 1 ชุด"),
    (HelpKind.HELP, "elderly", "elderly_alone",
     "ผู้สูงอายุอยู่ลำพัง เดินไม่สะดวก ขอให้ทีมเยี่ยมบ้านประเมินการดูแล", None, ""),
    (HelpKind.HELP, "disabled", "disabled_registration",
     "สมาชิกในบ้านพิการแต่ยังไม่มีบัตรคนพิการ ขอให้ช่วยพาไปทำบัตร", None, ""),
)  # fmt: skip
LEAVE_REASON = "ย้ายไปทำงานต่างจังหวัดทั้งครอบครัว"
GRADUATION_NOTE = "ผ่านเกณฑ์ จปฐ. ทุกตัวชี้วัดจากการประเมินของ อพม. และเจ้าหน้าที่ศูนย์"


def stage_of(n: int) -> str:
    return STAGES[n % len(STAGES)]


@dataclass
class Work:
    rng: random.Random
    today: dt.date
    run: Run | None
    staff: User
    worker: User
    login: User
    supervisor: User
    visits: list[Visit] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)  # per visit: question id → value
    present: list[list[int]] = field(default_factory=list)
    help_at: list[tuple[Assignment, int, int]] = field(default_factory=list)  # (a, visit, kind)

    def build(self, assignments: list[Assignment], targets: dict[int, dict], counts) -> None:
        heads = self._members([a.household_id for a in assignments])
        plans: list[tuple[HouseholdPlan, str, list[str], Assignment]] = []
        enrollments, visit_span = [], {}
        for n, a in enumerate(assignments):
            stage, start = stage_of(n), a.started_at.date()
            dims = list(targets.get(a.household_id, {}).get("dimensions") or [])
            first = len(self.visits)
            self._visits(a, stage, start, dims, heads.get(a.household_id, []))
            visit_span[a.pk] = (first, len(self.visits))
            enrollments.append(self._enrollment(a, stage, start, first))
            plan = self._plan(a, stage, n, enrollments[-1])
            if plan is not None:
                plans.append((plan, stage, dims or self._deprived_dims(first), a))
            if stage in (AGREED, IN_PROGRESS) and n % 3 == 0 and len(self.visits) - first > 1:
                self.help_at.append((a, first + 1, n // 3))
        Enrollment.objects.bulk_create(enrollments)
        self._save_visits()
        HouseholdPlan.objects.bulk_create([p for p, *_ in plans])
        self._goals(plans)
        self._follow_ups(plans, visit_span)
        counts.visits = len(self.visits)
        counts.enrollments = _tally(e.status for e in enrollments)
        counts.plans = _tally(_plan_state(p, s) for p, s, *_ in plans)
        counts.plans["none"] = len(assignments) - len(plans)
        counts.conflicts = self._conflicts(assignments, heads)
        counts.help_requests = self._help_requests(heads)

    # --- the course and the visits ------------------------------------------------------

    def _members(self, homes: list[int]) -> dict[int, list[Membership]]:
        out = defaultdict(list)
        for m in (
            Membership.objects.filter(household_id__in=homes, end_date__isnull=True)
            .select_related("person")
            .order_by("household_id", "pk")
        ):
            out[m.household_id].append(m)
        for members in out.values():
            members.sort(key=lambda m: m.relationship != Relationship.HEAD)
        return out

    def _visit_days(self, stage: str, start: dt.date) -> list[dt.date]:
        if stage == ENROLLED:
            return [min(start + self.rng.randint(3, 10) * DAY, self.today - DAY)]
        stop = self.today - (50 if stage == LAPSED else 2) * DAY
        days, day = [], start + self.rng.randint(5, 12) * DAY
        while day <= stop and len(days) < (4 if stage == LEFT else 8):
            days.append(day)
            day += self.rng.randint(26, 34) * DAY
        # Households in progress were visited this month too (the progress page counts
        # them), when the month has begun and the last visit is a week old.
        month_start = self.today.replace(day=1)
        recent = self.today - self.rng.randint(1, 3) * DAY
        if stage == IN_PROGRESS and days and month_start <= recent and days[-1] < recent - 7 * DAY:
            days.append(max(recent, month_start))
        return days

    def _visits(self, a: Assignment, stage: str, start: dt.date, dims: list[str], members) -> None:
        days = self._visit_days(stage, start)
        better = stage in (IN_PROGRESS, LAPSED, GRADUATED, AGREED)
        for k, day in enumerate(days):
            # Deprived at first where targeting found it; better visit after visit in the
            # households that progress, none at all at the last visit of a graduate.
            ease = k / max(len(days) - 1, 1) if better else 0.0
            if stage == GRADUATED and k == len(days) - 1:
                ease = 1.0
            self.answers.append(demo_questions.answers(self.rng, dims, ease))
            self.present.append([m.person_id for m in members[: 1 + k % 2]])
            self.visits.append(
                Visit(
                    client_id=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                    household_id=a.household_id,
                    volunteer=a.volunteer,
                    visited_on=day,
                    questionnaire=demo_questions.version(),
                    answers=self.answers[-1],
                    needs=demo_questions.needs(self.answers[-1]),
                    notes="เยี่ยมบ้านตามแผน ครอบครัวให้ความร่วมมือดี" if k else "เยี่ยมบ้านครั้งแรก",
                    recorded_at=_at(day),
                    recorded_by_id=a.volunteer.user_id or self.staff.pk,
                )
            )

    def _deprived_dims(self, first: int) -> list[str]:
        if first >= len(self.answers):
            return ["income"]
        return demo_questions.deprived_dimensions(self.answers[first]) or ["income"]

    def _enrollment(self, a: Assignment, stage: str, start: dt.date, first: int) -> Enrollment:
        e = Enrollment(
            household_id=a.household_id,
            status=COURSE[stage],
            enrolled_on=start + 2 * DAY,
            run=a.run,
            created_by=self.staff,
            created_at=_at(start + 2 * DAY),
        )
        if stage not in (ENROLLED,):
            e.plan_agreed_on = min(start + 25 * DAY, self.today - DAY)
        last = self.visits[-1].visited_on if len(self.visits) > first else self.today
        if stage == GRADUATED:
            e.graduated_on, e.evidence = last, GraduationEvidence.ASSESSMENT
            e.reason = GRADUATION_NOTE
        if stage == LEFT:
            e.left_on, e.reason = min(last + 5 * DAY, self.today), LEAVE_REASON
        return e

    def _save_visits(self) -> None:
        Visit.objects.bulk_create(self.visits, batch_size=500)
        through = Visit.present.through
        through.objects.bulk_create(
            [
                through(visit_id=v.pk, person_id=p)
                for v, people in zip(self.visits, self.present, strict=True)
                for p in people
            ],
            batch_size=1000,
        )
        entries = [
            RecordBookEntry(
                household_id=v.household_id, visit_id=v.pk, dimension=q.dimension,
                question=q.id, value=v.answers.get(q.id), recorded_on=v.visited_on,
                deprived=q.is_deprived(v.answers.get(q.id)),
            )
            for v in self.visits
            for q in demo_questions.questions()
            if q.id in v.answers
        ]  # fmt: skip
        RecordBookEntry.objects.bulk_create(entries, batch_size=1000)

    # --- the plan ---------------------------------------------------------------------------

    def _plan(self, a: Assignment, stage: str, n: int, e: Enrollment) -> HouseholdPlan | None:
        if stage == ENROLLED and n % 2:
            return None  # not yet drafted
        return HouseholdPlan(
            household_id=a.household_id,
            agreed_on=e.plan_agreed_on,
            follow_up_days=30,
            created_by=self.staff,
            created_at=_at(e.enrolled_on + 5 * DAY),
        )

    def _goals(self, plans) -> None:
        rows = []
        for plan, stage, dims, a in plans:
            start = plan.agreed_on or self.today
            for k, dim in enumerate(dims[:3]):
                goal, action = GOALS.get(dim, GOALS["income"])
                status, progress = GoalStatus.OPEN, 0
                if stage in (IN_PROGRESS, LAPSED):
                    status, progress = (GoalStatus.DONE, 100) if k == 1 else (GoalStatus.OPEN, 40)
                elif stage == AGREED:
                    progress = 10 * k
                elif stage == GRADUATED:
                    status, progress = GoalStatus.DONE, 100
                elif stage == LEFT:
                    status = GoalStatus.DROPPED
                rows.append(
                    PlanGoal(
                        household_plan=plan, dimension=dim, goal=goal, action=action,
                        agency_id=a.volunteer.centre_id, volunteer=a.volunteer,
                        due_date=start + (90 + 45 * k) * DAY, status=status, progress=progress,
                        created_by=self.staff, created_at=_at(start),
                    )
                )  # fmt: skip
        PlanGoal.objects.bulk_create(rows)

    def _follow_ups(self, plans, visit_span) -> None:
        """The visits each agreed plan expects every `follow_up_days`: answered by the
        visit made in that window, else open (overdue once past due)."""
        rows = []
        for plan, stage, _dims, a in plans:
            if plan.agreed_on is None:
                continue
            first, last = visit_span[a.pk]
            visits = [v for v in self.visits[first:last] if v.visited_on > plan.agreed_on]
            end = visits[-1].visited_on if stage in (GRADUATED, LEFT) and visits else None
            due, used = plan.agreed_on, set()
            while True:
                due += plan.follow_up_days * DAY
                if end and due > end + plan.follow_up_days * DAY:
                    break
                window = plan.follow_up_days * DAY
                late = due + 7 * DAY
                open_ = [v for v in visits if v.pk not in used]
                match = next((v for v in open_ if due - window < v.visited_on <= late), None)
                if match:
                    used.add(match.pk)
                created = _at(due - window)
                rows.append(
                    FollowUp(household_id=plan.household_id, due_on=due, visit=match,
                             created_at=created)
                )  # fmt: skip
                if due > self.today or (end and match is None):
                    break
        FollowUp.objects.bulk_create(rows)

    # --- help requests and conflicts ------------------------------------------------------

    def _help_requests(self, heads) -> int:
        clock = Clock(timezone.now())
        made = 0
        for n, (a, visit_index, k) in enumerate(self.help_at):
            kind, issue, sub, summary, amount, items = HELP[k % len(HELP)]
            visit = self.visits[visit_index]
            members = heads.get(a.household_id) or []
            own = a.volunteer.user_id == self.login.pk
            filer = self.login if own else self.worker
            when = _at(visit.visited_on) + dt.timedelta(hours=2)
            parties = [{"role": "victim", "person_id": members[0].person_id}] if members else []
            report = clock.at(
                when, intake.create_report, actor=filer, channel="volunteer", call_type="new",
                subdistrict=a.household.subdistrict_id, village=a.household.village_id,
                category=issue, subcategory=sub, summary=summary, parties=parties,
                reporter_name=str(a.volunteer.person), reporter_relation="อพม.",
            )  # fmt: skip
            HelpRequest.objects.create(
                household_id=a.household_id, visit=visit, volunteer=a.volunteer, report=report,
                kind=kind, amount=amount, items=items, created_at=when,
            )  # fmt: skip
            if n % 5 != 4:  # one in five still waits for triage
                # Triage is the routed unit's (the centre, when it has staff on the system)
                # or the area supervisor's, as for any report.
                own_unit = report.routed_to_id == self.staff.organisation_id
                clock.at(
                    when + 20 * DAY / 24, triage.accept_report,
                    actor=self.staff if own_unit else self.supervisor,
                    report_id=report.pk, version=report.version,
                )  # fmt: skip
            made += 1
        clock.settle()
        return made

    def _conflicts(self, assignments: list[Assignment], heads) -> int:
        """Changes the login's phone sent for households staff had edited meanwhile: two
        waiting for review (a household's house number, a member's phone), one settled,
        and one merged by itself."""
        own = [a for a in assignments if a.volunteer.user_id == self.login.pk][:4]
        made = 0
        for k, a in enumerate(own):
            h, members = a.household, heads.get(a.household_id) or []
            made_at = timezone.now() - (3 + k) * DAY
            if k == 1 and members:
                person = members[0].person
                theirs = f"089{self.rng.randint(1_000_000, 9_999_999)}"
                Person.objects.filter(pk=person.pk).update(phone=theirs)
                target, obj, name = ChangeTarget.PERSON, person.pk, "phone"
                base, mine = person.phone or "", f"086{self.rng.randint(1_000_000, 9_999_999)}"
                version = person.version
            else:
                target, obj, name, version = ChangeTarget.HOUSEHOLD, h.pk, "house_no", h.version
                base, theirs, mine = f"{h.house_no}ก", h.house_no, f"{h.house_no}/1"
            merged = k == 3
            change = OfflineChange.objects.create(
                client_id=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                volunteer=a.volunteer, household=h, target=target, object_id=obj,
                base_version=max(version - 1, 1), base={name: base},
                mine={"address_detail": "ซอยข้างวัด"} if merged else {name: mine},
                outcome=ChangeOutcome.MERGED if merged else ChangeOutcome.CONFLICT,
                made_at=made_at, received_at=made_at + DAY,
            )  # fmt: skip
            if merged:
                continue
            settled = k == 2
            Conflict.objects.create(
                change=change, household=h, target=target, object_id=obj, field=name,
                base=base, theirs=theirs, theirs_by=self.staff, theirs_at=made_at - DAY,
                mine=mine, mine_by=self.login,
                status=ConflictStatus.RESOLVED if settled else ConflictStatus.OPEN,
                chosen=theirs if settled else None, resolved_by=self.staff if settled else None,
                resolved_at=made_at + 2 * DAY if settled else None, created_at=made_at + DAY,
            )  # fmt: skip
            made += 1
        return made


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _tally(values) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for v in values:
        out[str(v)] += 1
    return dict(out)


def _plan_state(plan: HouseholdPlan, stage: str) -> str:
    """The plan's state as the demo tells it (draft, agreed, in progress, done, closed)."""
    if plan.agreed_on is None:
        return "draft"
    return {AGREED: "agreed", IN_PROGRESS: "in_progress", LAPSED: "in_progress",
            GRADUATED: "done", LEFT: "closed"}[stage]  # fmt: skip
