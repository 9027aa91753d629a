"""The demo province's reports and cases, built through the case services as the demo users.

About 200 reports from every channel and call type (pranks and wrong numbers closed at
once), of all 10 hotline issues, about people of the demo registry: most accepted into
cases that stop at every step of the lifecycle (waiting, assessing, referred, assistance
reported or done, closure requested, closed, one reopened), some merged into an earlier
case or closed by triage, some still on the dispatch board. Referrals go between the
provincial office, the tambon centre, the One Home team, the provincial units and the
hospital, and are accepted, declined with a reason, delivered and answered with an
outcome; cash aid below and above the ceiling, in-kind aid from stock. Everything is
backdated over the last three months (`case_clock`), so deadlines, turnaround and overdue
work are real; then one run of the escalation ladder.

The receiving agencies need someone to answer referrals: one "desk" login per agency that
receives them (see `DESK_STAFF`), with the demo password.

    from onehome.demo.cases import build_cases
    counts = build_cases(province="57", seed=57)
"""

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from onehome.access.models import Role, ScopeLevel, User
from onehome.cases.assistance import stock as case_stock
from onehome.cases.deadlines import escalation, sla
from onehome.cases.intake import catalogue, triage
from onehome.cases.intake import services as intake
from onehome.cases.models import (
    OPEN_STATUSES,
    Case,
    Payment,
    Referral,
    Report,
    Service,
    Stock,
    StockItem,
    StockMove,
)
from onehome.geo.models import Subdistrict
from onehome.orgs.models import Organisation
from onehome.registry.models import Person, Sex

from . import case_stories as st
from .case_clock import Clock, People, age_of
from .case_paths import FATES, CaseStory, Cast
from .logins import DEMO_PASSWORD
from .names import PersonNames

Progress = Callable[[int], None]

# How many cases stop at each step (blocks of ≥10 in a row, so each block holds every issue).
FATE_COUNTS = dict(zip(FATES, (12, 26, 24, 16, 12, 10, 38, 10, 2), strict=True))
QUICK_CALLS = {"prank": 6, "wrong_number": 6, "feedback": 4, "enquiry": 6}
WAITING_REPORTS, TRIAGE_CLOSED, FOLLOW_UPS = 10, 8, 12
LOCAL_SHARE = 0.35  # reports about the centre's own sub-district (the provincial capital)
DAY = dt.timedelta(days=1)
# Who answers referrals at the receiving agencies: (username, code suffix, first, last name).
DESK_STAFF = [
    ("onehome_team", "ONEHOME", "สมพร", "ทีมหนึ่ง"),
    ("shelter_staff", "SHELTER-CF", "กาญจนา", "บ้านพักเด็ก"),
    ("destitute_staff", "DESTITUTE", "ประยูร", "คุ้มครอง"),
    ("disability_staff", "DISABILITY", "วันเพ็ญ", "บริการดี"),
    ("elderly_staff", "ELDERLY", "อำนวย", "สวัสดิการ"),
    ("oscc_hospital", "HOSP-CRPH", "พรทิพย์", "พึ่งได้"),
]
STOCK = [("ADULT-DIAPERS", "ผ้าอ้อมผู้ใหญ่", "Adult diapers", "แพ็ค", 400),
         ("RELIEF-BAG", "ถุงยังชีพ", "Relief bag", "ถุง", 300)]  # fmt: skip


@dataclass
class CaseCounts:
    reports: int = 0
    cases: int = 0
    referrals: int = 0
    services: int = 0
    overdue: int = 0
    escalated: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    desk_logins: list[str] = field(default_factory=list)


def planned_reports() -> int:
    return (
        sum(FATE_COUNTS.values())
        + sum(QUICK_CALLS.values())
        + WAITING_REPORTS
        + TRIAGE_CLOSED
        + FOLLOW_UPS
    )


def province_has_cases(province: str) -> bool:
    return Report.objects.filter(subdistrict__province_id=province).exists()


def reset_cases(province: str) -> dict[str, int]:
    """Delete the province's reports and cases (with their timelines, referrals, services
    and payments) and its organisations' stock. The audit log stays."""
    cases = Case.objects.filter(subdistrict__province_id=province)
    services_ = Service.objects.filter(case__in=cases)
    stock = Stock.objects.filter(organisation__province_id=province)
    counts = {}
    Payment.objects.filter(service__in=services_).delete()
    StockMove.objects.filter(Q(service__in=services_) | Q(stock__in=stock)).delete()
    stock.delete()
    counts["reports"], _ = Report.objects.filter(
        Q(subdistrict__province_id=province) | Q(case__in=cases)
    ).delete()
    counts["cases"], _ = cases.delete()
    return counts


def build_cases(
    *, province: str, seed: int, progress: Progress | None = None, now: dt.datetime | None = None
) -> CaseCounts:
    """Build the demo cases (call inside the demo's transaction, after the logins)."""
    return _Load(province, seed, now or timezone.now(), progress).run()


def _desk_staff(province: str, orgs: dict[str, Organisation]) -> dict[int, User]:
    password = make_password(DEMO_PASSWORD)  # hashed once: the same for every desk login
    desks = {}
    for username, suffix, first, last in DESK_STAFF:
        org = orgs.get(f"{province}-{suffix}")
        if org is None:
            continue
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "roles": [Role.SOCIAL_WORKER],
                "scope_level": ScopeLevel.PROVINCE,
                "scope_code": province,
                "organisation": org,
                "first_name": first,
                "last_name": last,
                "is_active": True,
            },
        )
        if created:
            user.password = password
            user.save(update_fields=["password"])
        desks[org.pk] = user
    return desks


class _Load:
    def __init__(self, province: str, seed: int, now: dt.datetime, progress: Progress | None):
        self.province, self.progress = province, progress or (lambda _n: None)
        self.rng = random.Random(f"{seed}:cases")
        self.clock = Clock(now)
        self.now = now
        self.names = PersonNames(seed + 1)
        self.subs = list(
            Subdistrict.objects.filter(province_id=province)
            .order_by("code")
            .values_list("code", flat=True)
        )
        self.cast = self._cast()
        local = self.cast.centre.location_id if self.cast.centre else f"{province}0101"
        self.people = People(province, local, self.rng)
        self.stories: list[CaseStory] = []

    def _cast(self) -> Cast:
        p = self.province
        users = {u.username: u for u in User.objects.filter(username__in=_LOGINS)}
        missing = sorted(set(_LOGINS) - set(users))
        if missing:
            raise ValueError(f"the demo logins are missing ({', '.join(missing)}); load them first")
        orgs = {o.code: o for o in Organisation.objects.filter(province_id=p)}
        cs = users["centre_staff"]
        centre = cs.organisation if cs.organisation and cs.organisation.province_id == p else None
        desks = _desk_staff(p, orgs)
        self.desk_logins = [u.username for u in desks.values()]
        desks[orgs[f"{p}-PSO"].pk] = users["social_worker"]
        if centre:
            desks[centre.pk] = cs
        items = {}
        for code, th, en, unit, _qty in STOCK:
            items[code], _ = StockItem.objects.get_or_create(
                code=code, defaults={"name_th": th, "name_en": en, "unit": unit}
            )
        return Cast(
            province=p,
            operator=users["hotline_operator"],
            centre_staff=cs,
            volunteer=users["volunteer"],
            worker=users["social_worker"],
            supervisor=users["supervisor"],
            head=users["provincial_head"],
            office=orgs[f"{p}-PSO"],
            centre=centre,
            orgs=orgs,
            desks=desks,
            items=items,
        )

    # --- the load --------------------------------------------------------------------------

    def run(self) -> CaseCounts:
        self._stock()
        self._quick_calls()
        fates = [fate for fate in FATES for _n in range(FATE_COUNTS[fate])]
        issues = [issue.code for issue in catalogue.issues()]
        for n, fate in enumerate(fates):
            category = issues[n % len(issues)]
            story = self.rng.choice([s for s in st.STORIES if s.category == category])
            self._case(story, fate)
        self._waiting_reports()
        self._closed_by_triage()
        self._follow_ups()
        self.clock.settle()
        escalated = escalation.escalate(self.now)
        counts = self._counts()
        counts.escalated = escalated["cases"]
        return counts

    def _stock(self) -> None:
        c = self.cast
        holders = [(c.worker, c.office)] + ([(c.centre_staff, c.centre)] if c.centre else [])
        for actor, org in holders:
            for code, _th, _en, _unit, quantity in STOCK:
                self.clock.at(
                    self.now - 100 * DAY,
                    case_stock.receive_stock,
                    actor=actor,
                    organisation_id=org.pk,
                    item_id=c.items[code].pk,
                    quantity=quantity,
                    note="รับบริจาคจากเหล่ากาชาดจังหวัด",
                )

    def _ago(self, low_days: float, high_days: float) -> dt.datetime:
        return self.now - self.rng.uniform(low_days, high_days) * DAY

    def _quick_calls(self) -> None:
        for call_type, n in QUICK_CALLS.items():
            for _i in range(n):
                enquiry = call_type == "enquiry"
                self.clock.at(
                    self._ago(0.1, 90),
                    intake.create_report,
                    actor=self.cast.operator,
                    channel=self.rng.choice(["hotline"] * 4 + ["line"]),
                    call_type=call_type,
                    subdistrict=self.rng.choice(self.subs),
                    summary=st.QUICK_CALLS[call_type],
                    close_enquiry=enquiry,
                    reporter_anonymous=call_type == "prank",
                )
                self.progress(1)

    def _case(self, story: st.Story, fate: str) -> None:
        if fate in ("closed", "closed_no_help"):
            span, slack = self.rng.uniform(8, 45), self.rng.uniform(1, 40)
        elif fate == "reopened":
            span, slack = self.rng.uniform(40, 70), self.rng.uniform(0.2, 3)
        else:
            span = self.rng.uniform(0.3, 3) if fate == "waiting" else self.rng.uniform(3, 30)
            late = self.rng.random() < 0.25
            slack = self.rng.uniform(8, 25) if late else self.rng.uniform(0.08, 0.8)
        end = self.now - slack * DAY
        start = end - span * DAY
        report, victim = self._file(story, when=start)
        self.stories.append(
            CaseStory(
                self.cast,
                self.clock,
                self.rng,
                story,
                report,
                victim,
                fate=fate,
                start=start,
                end=end,
            )  # fmt: skip
        )
        self.stories[-1].run()
        self.progress(1)

    def _waiting_reports(self) -> None:
        routed_here = [s for s in st.STORIES if catalogue.is_sensitive(s.category, s.subcategory)]
        for n in range(WAITING_REPORTS):
            story = self.rng.choice(routed_here if n % 2 else st.STORIES)
            self._file(story, when=self._ago(0.05, 4), local=n % 2 == 0)
            self.progress(1)

    def _closed_by_triage(self) -> None:
        for _n in range(TRIAGE_CLOSED):
            when = self._ago(5, 80)
            report, _victim = self._file(self.rng.choice(st.STORIES), when=when)
            self.clock.at(
                when + self.rng.uniform(0.1, 2) * DAY,
                triage.close_report,
                actor=self.cast.supervisor,
                report_id=report.pk,
                reason=self.rng.choice(st.TRIAGE_CLOSE_REASONS),
                version=report.version,
            )
            self.progress(1)

    def _follow_ups(self) -> None:
        """A second call about a family whose case is open: merged into that case."""
        c = self.cast
        open_ = [
            s
            for s in self.stories
            if s.victim is not None
            and s.fate != "waiting"
            and Case.objects.filter(pk=s.case.pk, status__in=OPEN_STATUSES).exists()
        ]
        for story in self.rng.sample(open_, min(FOLLOW_UPS, len(open_))):
            case = Case.objects.get(pk=story.case.pk)
            when = self.now - self.rng.uniform(0.05, 0.9) * (self.now - story.start)
            report, _victim = self._file(
                story.story, when=when, victim=story.victim, call_type="follow_up"
            )
            if case.owner_id == c.office.pk:
                triager = c.supervisor
            elif c.centre and case.owner_id == c.centre.pk:
                triager = c.centre_staff
            else:
                triager = c.head
            self.clock.at(
                when + self.rng.uniform(0.02, 0.3) * DAY,
                triage.merge_report,
                actor=triager,
                report_id=report.pk,
                case_id=case.pk,
                version=report.version,
            )
            self.progress(1)

    # --- intake ----------------------------------------------------------------------------

    def _file(
        self,
        story: st.Story,
        *,
        when: dt.datetime,
        local: bool | None = None,
        victim: Person | None = None,
        call_type: str = "new",
    ) -> tuple[Report, Person | None]:
        """Take a report about someone of the registry (described when none fits)."""
        rng, c = self.rng, self.cast
        if victim is None and call_type == "new":
            local = rng.random() < LOCAL_SHARE if local is None else local
            victim = self.people.draw(story.victim, local=local)
        local_sub = c.centre.location_id if c.centre else None
        if victim is not None:
            sub, village = victim.subdistrict_id, victim.village_id
        else:
            sub, village = (local_sub if local and local_sub else rng.choice(self.subs)), None
        actor, channel = self._channel(here=sub == local_sub, follow_up=call_type != "new")
        parties = [self._victim_party(victim, linked=actor is not None)]
        if story.offender:
            offender = None
            if victim is not None and actor is not None and rng.random() < 0.5:
                offender = self.people.offender_at_home(victim)
            parties.append(
                {
                    "role": "alleged_offender",
                    "person_id": offender.pk,
                    "description": story.offender,
                }
                if offender
                else {"role": "alleged_offender", "description": story.offender, "sex": Sex.MALE}
            )
        anonymous = story.category in st.ANONYMOUS_CATEGORIES and rng.random() < 0.5
        sex = rng.choice([Sex.FEMALE, Sex.MALE])
        report = self.clock.at(
            when,
            intake.create_report,
            actor=actor,
            channel=channel,
            call_type=call_type,
            subdistrict=sub,
            village=village,
            category=story.category,
            subcategory=story.subcategory,
            urgency=story.urgency,
            risks=list(story.risks),
            parties=parties,
            reporter_anonymous=anonymous,
            reporter_name=f"{self.names.first(sex)} {self.names.last()}",
            reporter_phone="08" + "".join(str(rng.randint(0, 9)) for _i in range(8)),
            reporter_relation=rng.choice(st.RELATIONS),
            occurred_at=when - rng.uniform(1, 72) * dt.timedelta(hours=1),
            summary=story.summary,
        )
        if report.due_at is not None:
            report.due_at = sla.first_contact_due(report.urgency, when)
            Report.objects.filter(pk=report.pk).update(due_at=report.due_at)
        return report, victim

    def _channel(self, *, here: bool, follow_up: bool) -> tuple[User | None, str]:
        c, r = self.cast, self.rng.random()
        if follow_up or r < 0.45:
            return c.operator, "hotline"
        if r < 0.58:
            return c.operator, "line"
        if here:
            return (c.centre_staff, "walk_in") if r < 0.85 else (c.volunteer, "volunteer")
        return (None, "web") if r < 0.72 else (c.worker, "partner")

    def _victim_party(self, victim: Person | None, *, linked: bool) -> dict:
        if victim is not None and linked:
            return {"role": "victim", "person_id": victim.pk}
        if victim is not None:  # the public web form cannot link registry records
            return {
                "role": "victim",
                "name": f"{victim.first_name_th} {victim.last_name_th}".strip(),
                "sex": victim.sex if victim.sex in Sex.values else "",
                "age": age_of(victim, self.now.date()),
            }
        sex = self.rng.choice([Sex.FEMALE, Sex.MALE])
        return {"role": "victim", "name": f"{self.names.first(sex)} {self.names.last()}"}

    def _counts(self) -> CaseCounts:
        p = self.province
        cases = Case.objects.filter(subdistrict__province_id=p)
        return CaseCounts(
            reports=Report.objects.filter(subdistrict__province_id=p).count(),
            cases=cases.count(),
            referrals=Referral.objects.filter(case__in=cases).count(),
            services=Service.objects.filter(case__in=cases).count(),
            overdue=cases.filter(sla.overdue_q(self.now)).count(),
            by_status=dict(Counter(cases.values_list("status", flat=True))),
            by_category=dict(Counter(cases.values_list("category", flat=True))),
            desk_logins=self.desk_logins,
        )


_LOGINS = [
    "hotline_operator",
    "centre_staff",
    "volunteer",
    "social_worker",
    "supervisor",
    "provincial_head",
]
