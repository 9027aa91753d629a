"""One demo case from triage to where its story stops, through the case services.

`CaseStory.run` accepts the report as the unit it was routed to would (the social worker
for the provincial office, the centre staff for their centre, the supervisor for centres
without staff on the system, then the provincial head assigns or transfers it), and moves
the case through assessment, plan, referrals answered by the receiving agency's staff,
services and cash aid, closure with a supervisor's approval and one reopening. Each step
runs at a moment in the past (`case_clock.Clock`), between the report and `end`.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from onehome.access.models import User
from onehome.access.roles import Action
from onehome.access.scope import in_scope
from onehome.cases.assistance import services as assistance
from onehome.cases.deadlines import sla
from onehome.cases.intake import triage
from onehome.cases.lifecycle import services, transitions
from onehome.cases.models import (
    Case,
    CaseStatus,
    CaseWorker,
    Dimension,
    Referral,
    Report,
    ServiceKind,
    ServiceStatus,
    StockItem,
)
from onehome.cases.plans import services as assessments
from onehome.cases.referrals import services as referrals
from onehome.orgs.models import Organisation
from onehome.privacy.consent import services as consent
from onehome.privacy.consent.selectors import case_subjects, without_consent
from onehome.privacy.models import ConsentPurpose, GivenBy
from onehome.registry.models import Person

from . import case_stories as st
from .case_clock import Clock

S = CaseStatus
# Where each story ends. Closed cases went through every step before.
FATES = (
    "waiting",
    "assessing",
    "referred",
    "assistance_reported",
    "assistance_done",
    "closure_requested",
    "closed",
    "closed_no_help",
    "reopened",
)
_ORDER = {fate: n for n, fate in enumerate(FATES)}
# The deadline of the step an open case stands on.
STEP_OF_STATUS = {
    S.ASSESSING: sla.ASSESSMENT,
    S.REFERRED: sla.REFERRAL_OUTCOME,
    S.ASSISTANCE_REPORTED: sla.ASSESSMENT,
    S.ASSISTANCE_DONE: sla.ASSESSMENT,
    S.CLOSURE_REQUESTED: sla.CLOSURE_APPROVAL,
}
FAR_AHEAD = dt.timedelta(days=60)  # a referral's due date is fixed after it is sent


@dataclass
class Cast:
    """The demo users and organisations the stories need."""

    province: str
    operator: User
    centre_staff: User
    volunteer: User
    worker: User
    supervisor: User
    head: User
    office: Organisation
    centre: Organisation | None
    orgs: dict[str, Organisation]  # by code
    desks: dict[int, User]  # organisation id → who answers its referrals
    items: dict[str, StockItem]
    tally: dict[str, int] = field(default_factory=dict)  # how often an extra was used

    def once(self, extra: str, times: int = 1) -> bool:
        """True the first `times` times an extra (a paused case, a refusal…) is asked for."""
        used = self.tally.get(extra, 0)
        self.tally[extra] = used + 1
        return used < times


class CaseStory:
    def __init__(
        self,
        cast: Cast,
        clock: Clock,
        rng: random.Random,
        story: st.Story,
        report: Report,
        victim: Person | None,
        *,
        fate: str,
        start: dt.datetime,
        end: dt.datetime,
    ) -> None:
        self.cast, self.clock, self.rng, self.story = cast, clock, rng, story
        self.report, self.victim, self.fate = report, victim, fate
        self.start, self.t, self.end = start, start, end
        self.case: Case | None = None
        self.lead: User | None = None

    # --- helpers ---------------------------------------------------------------------------

    def _next(self, low: float = 0.25, high: float = 0.6) -> dt.datetime:
        self.t += (self.end - self.t) * self.rng.uniform(low, high)
        return self.t

    def _version(self) -> int:
        return Case.objects.values_list("version", flat=True).get(pk=self.case.pk)

    def _move(self, actor: User, to_status: str, reason: str = "") -> None:
        self.clock.at(
            self._next(),
            transitions.transition,
            actor=actor,
            case_id=self.case.pk,
            to_status=to_status,
            reason=reason,
            version=self._version(),
        )

    def _status(self) -> str:
        return Case.objects.values_list("status", flat=True).get(pk=self.case.pk)

    def _reaches(self, fate: str) -> bool:
        return _ORDER[self.fate] >= _ORDER[fate] and self.fate != "closed_no_help"

    # --- the story -------------------------------------------------------------------------

    def run(self) -> Case:
        self._accept()
        if self.fate != "waiting":
            self._work()
        self._set_deadline()
        return self.case

    def _accept(self) -> None:
        c, routed = self.cast, self.report.routed_to_id
        # The centre serves a neighbour now and then: its staff's login covers one tambon.
        centre_here = (
            c.centre is not None
            and routed == c.centre.pk
            and in_scope(c.centre_staff, subdistrict_code=self.report.subdistrict_id)
        )
        if self.fate == "waiting" or not (routed == c.office.pk or centre_here):
            accepter = c.supervisor
        else:
            accepter = c.worker if routed == c.office.pk else c.centre_staff
        self.case = self.clock.at(
            self._next(0.02, 0.15),
            triage.accept_report,
            actor=accepter,
            report_id=self.report.pk,
            version=self.report.version,
        )
        self.lead = accepter
        if self.fate == "waiting" or accepter != c.supervisor:
            return
        # A centre with no staff on the system: the head hands the case to the office.
        self.lead = c.worker
        if self.rng.random() < 0.3:
            self.clock.at(
                self._next(0.05, 0.2),
                services.transfer_case,
                actor=c.head,
                case_id=self.case.pk,
                to_org_id=c.office.pk,
                reason="ศูนย์ช่วยเหลือสังคมตำบลยังไม่มีนักสังคมสงเคราะห์ ให้ พมจ. ดูแลต่อ",
                version=self._version(),
            )
            assigner = c.worker
        else:
            assigner = c.head
        self.clock.at(
            self._next(0.05, 0.2),
            services.assign_worker,
            actor=assigner,
            case_id=self.case.pk,
            user_id=c.worker.pk,
            version=self._version(),
            lead=True,
        )
        self._move(c.worker, S.ASSESSING)

    def _work(self) -> None:
        if self.rng.random() < 0.7 or self._reaches("closed"):
            self._assess()
        if self.fate in ("assessing", "referred") and self.rng.random() < 0.5:
            self._plan()
        if self.fate == "assessing":
            return self._assessing_extras()
        if self.fate == "closed_no_help":
            self._close(reason=self.rng.choice(st.CLOSE_WITHOUT_HELP))
            return None
        by_referral = self.fate == "referred" or self.rng.random() < 0.5
        if by_referral:
            self._refer(
                outcome=self._reaches("assistance_reported"),
                declined_first=self.cast.once("declined_then_accepted", 6),
            )
        # A service as well now and then; always when no referral brought the assistance.
        if self.fate != "referred" and (
            not by_referral or self.rng.random() < 0.3 or self._status() == S.ASSESSING
        ):
            self._service()
        if not self._reaches("assistance_done"):
            return None
        if self._status() == S.REFERRED:  # the outcome was not needed: a service was given
            self._move(self.lead, S.ASSISTANCE_REPORTED, "ให้ความช่วยเหลือโดยตรงแล้ว")
        self._move(self.lead, S.ASSISTANCE_DONE)
        if self._reaches("closure_requested"):
            self._close(reason="ช่วยเหลือครบตามแผน ครอบครัวดูแลตนเองได้")
        return None

    def _assessing_extras(self) -> None:
        c = self.cast
        if self.story.category != "violence" and c.once("pending_cash"):
            self._service(kind=ServiceKind.CASH_AID, amount=Decimal(6000), deliver=False)
        elif c.once("pause", 2):
            self.clock.at(
                self._next(),
                sla.pause,
                actor=self.lead,
                case_id=self.case.pk,
                reason=self.rng.choice(st.PAUSE_REASONS),
                version=self._version(),
                now=self.t,
            )
        elif c.once("unanswered", 4):
            self._refer(answer=False)
        elif c.once("declined_only", 2):
            self._refer(decline=True)

    def _assess(self) -> None:
        dims = {
            d.value: {"level": self.rng.randint(0, 3), "note": st.DIMENSION_NOTES[d.value]}
            for d in Dimension
        }
        self.clock.at(
            self._next(),
            assessments.record_assessment,
            actor=self.lead,
            case_id=self.case.pk,
            dimensions=dims,
            protection_risks=list(self.story.risks),
            summary="เยี่ยมบ้าน ประเมินความต้องการ 5 มิติ ร่วมกับผู้นำชุมชน",
        )

    def _plan(self) -> None:
        today = self.clock.now.date()
        for dim in self.rng.sample(list(st.PLAN_GOALS), 2):
            goal, action = st.PLAN_GOALS[dim]
            self.clock.at(
                self._next(0.05, 0.15),
                assessments.add_plan_goal,
                actor=self.lead,
                case_id=self.case.pk,
                dimension=dim,
                goal=goal,
                action=action,
                agency_id=self.lead.organisation_id,
                due_date=today + dt.timedelta(days=self.rng.randint(7, 60)),
            )

    # --- referrals -------------------------------------------------------------------------

    def _targets(self, answered: bool) -> list[tuple[Organisation, User | None]]:
        """Where this case may be referred from the lead's organisation, best first."""
        c, p = self.cast, self.cast.province
        codes = [f"{p}-{s}" for s in self.story.refer_to if s != "CENTRE"]
        if c.centre and self.case.subdistrict_id == c.centre.location_id:
            codes.insert(1, c.centre.code)
        codes += [f"{p}-ONEHOME", c.office.code]
        found = []
        for code in dict.fromkeys(codes):
            org = c.orgs.get(code)
            if org is None or org.pk == self.lead.organisation_id:
                continue
            desk = c.desks.get(org.pk)
            if desk is not None and not in_scope(desk, subdistrict_code=self.case.subdistrict_id):
                continue
            if (desk is not None) == answered:
                found.append((org, desk))
        return found

    def _consent_for(self, org: Organisation) -> str:
        """Before a referral outside the ministry (PDPA): most people consent, recorded by
        the lead (a guardian for a child); a critical case without it goes as an emergency
        override. Returns the emergency reason, or "". Its own random stream, so that the
        rest of the demo draws what it drew before."""
        if not consent.outside_the_ministry(org):
            return ""
        rng = random.Random(f"consent:{self.case.pk}:{org.pk}")
        people = case_subjects(self.case)
        missing = without_consent(people, ConsentPurpose.REFERRAL_PARTNER)
        if people and not missing:
            return ""
        if not missing or (self.case.urgency == "critical" and rng.random() < 0.5):
            return "เสี่ยงอันตรายต่อชีวิตและสุขภาพ ขอความยินยอมไม่ทัน (ประโยชน์สำคัญต่อชีวิต ม.24(2))"
        for person in missing:
            if not in_scope(
                self.lead, subdistrict_code=person.subdistrict_id, action=Action.RECORD_CONSENT
            ):
                return "ผู้ประสบปัญหาอยู่นอกพื้นที่ ส่งต่อเพื่อคุ้มครองชีวิตและสุขภาพ"
            age_days = (self.t.date() - person.birth_date).days if person.birth_date else 9999
            child = age_days < 18 * 365
            self.clock.at(
                self.t,
                consent.record_consent,
                actor=self.lead,
                person_id=person.pk,
                purpose=ConsentPurpose.REFERRAL_PARTNER,
                given_by=GivenBy.GUARDIAN if child else GivenBy.SELF,
                given_by_name=f"นางสมใจ {person.last_name_th}".strip() if child else "",
            )
        return ""

    def _refer(
        self,
        *,
        answer: bool = True,
        decline: bool = False,
        declined_first: bool = False,
        outcome: bool = False,
    ) -> None:
        targets = self._targets(answered=answer)
        if not targets:
            return
        if declined_first and len(targets) > 1:
            self._one_referral(*targets.pop(0), decline=True)
        self._one_referral(*targets[0], answer=answer, decline=decline, outcome=outcome)

    def _one_referral(
        self,
        org: Organisation,
        desk: User | None,
        *,
        answer: bool = True,
        decline: bool = False,
        outcome: bool = False,
    ) -> None:
        emergency = self._consent_for(org)
        ref = self.clock.at(
            self._next(),
            referrals.send_referral,
            actor=self.lead,
            case_id=self.case.pk,
            to_org_id=org.pk,
            need=self.story.summary + " — ขอรับการช่วยเหลือตามภารกิจของหน่วยงาน",
            due_at=self.clock.now + FAR_AHEAD,
            emergency_reason=emergency,
        )
        Referral.objects.filter(pk=ref.pk).update(
            due_at=sla.step_due(sla.REFERRAL_OUTCOME, self.t, self.case.urgency)
        )
        if not answer or desk is None:
            return
        if self.case.sensitive and not CaseWorker.objects.filter(case=self.case, user=desk):
            # The receiver joins the case team, or the sensitive case stays hidden from them.
            self.clock.at(
                self._next(0.05, 0.1),
                services.assign_worker,
                actor=self.cast.supervisor,
                case_id=self.case.pk,
                user_id=desk.pk,
                version=self._version(),
            )
        version = lambda: Referral.objects.values_list("version", flat=True).get(pk=ref.pk)  # noqa: E731
        if decline:
            self.clock.at(
                self._next(),
                referrals.decline_referral,
                actor=desk,
                referral_id=ref.pk,
                version=version(),
                reason=self.rng.choice(st.DECLINE_REASONS),
            )
            return
        self.clock.at(
            self._next(),
            referrals.accept_referral,
            actor=desk,
            referral_id=ref.pk,
            version=version(),
            note="รับเรื่อง จะลงพื้นที่ภายในสัปดาห์นี้",
        )
        if outcome or self.rng.random() < 0.4:
            self.clock.at(
                self._next(), referrals.deliver_referral, actor=desk, referral_id=ref.pk,
                version=version(),
            )  # fmt: skip
        if outcome:
            self.clock.at(
                self._next(),
                referrals.report_referral_outcome,
                actor=desk,
                referral_id=ref.pk,
                version=version(),
                outcome=self.rng.choice(st.OUTCOMES),
            )

    # --- services, closure, deadline -------------------------------------------------------

    def _service(
        self, *, kind: str | None = None, amount: Decimal | None = None, deliver: bool = True
    ) -> None:
        c, category = self.cast, self.story.category
        item, quantity = None, None
        if kind is None:
            if category in ("elderly", "disabled", "homeless", "beggars"):
                kind = ServiceKind.IN_KIND
            elif category in ("violence", "trafficking"):
                kind = self.rng.choice([ServiceKind.COUNSELLING, ServiceKind.SHELTER])
            elif category == "drugs":
                kind = self.rng.choice([ServiceKind.JOB, ServiceKind.OTHER_MINISTRY])
            else:
                kind = self.rng.choice([ServiceKind.CASH_AID, ServiceKind.EDUCATION])
        if kind == ServiceKind.CASH_AID and amount is None:
            big = c.once("cash_above_ceiling", 3)
            amount = Decimal(self.rng.choice([4000, 5000]) if big else self.rng.randint(2, 6) * 500)
        if kind == ServiceKind.IN_KIND:
            # Diapers for bedridden people; the first in-kind aid of the demo is diapers too,
            # so the stock of both items is used whichever cases reach this step.
            bedridden = self.story.subcategory in ("elderly_bedridden", "disabled_care")
            bedridden = bedridden or c.once("first_in_kind_diapers")
            item = c.items["ADULT-DIAPERS" if bedridden else "RELIEF-BAG"]
            quantity = self.rng.randint(2, 6)
        recipient = self.victim.pk if self.victim and self.lead.organisation_id else None
        if recipient and not in_scope(self.lead, subdistrict_code=self.victim.subdistrict_id):
            recipient = None
        service = self.clock.at(
            self._next(),
            assistance.request_service,
            actor=self.lead,
            case_id=self.case.pk,
            kind=kind,
            description=self.story.summary[:120],
            amount=amount,
            item_id=item.pk if item else None,
            quantity=quantity,
            recipient_id=recipient,
        )
        if not deliver:
            return
        if service.status == ServiceStatus.AWAITING_APPROVAL:
            self.clock.at(
                self._next(),
                assistance.approve_service,
                actor=c.supervisor,
                service_id=service.pk,
                version=service.version,
                reason="เหตุจำเป็นเร่งด่วน ครอบครัวไม่มีรายได้",
            )
            service.version += 1
        self.clock.at(
            self._next(),
            assistance.deliver_service,
            actor=self.lead,
            service_id=service.pk,
            version=service.version,
        )

    def _approver(self) -> User:
        c = self.cast
        if self.case.owner_id == c.office.pk or CaseWorker.objects.filter(
            case=self.case, user__organisation_id=c.office.pk
        ):
            return c.supervisor
        return c.head  # a centre's case: the head answers for every case of the province

    def _close(self, *, reason: str) -> None:
        self._move(self.lead, S.CLOSURE_REQUESTED, reason)
        if self.fate in ("closed", "closed_no_help", "reopened"):
            self._move(self._approver(), S.CLOSED)
        if self.fate == "reopened":
            self._move(self.lead, S.ASSESSING, "ครอบครัวแจ้งว่าปัญหาเดิมกลับมาอีก ขอรับการช่วยเหลือใหม่")

    def _set_deadline(self) -> None:
        status = self._status()
        step = STEP_OF_STATUS.get(status)
        if step is not None:
            due = sla.step_due(step, self.t, self.case.urgency)
            Case.objects.filter(pk=self.case.pk).update(due_at=due)
