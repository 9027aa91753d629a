"""A household's course in the project (โครงการพัฒนาคุณภาพชีวิตกลุ่มเปราะบางรายครัวเรือน):
enrolled → plan agreed → in progress → out of poverty (graduated), or left for another
reason, on the one state-machine helper.

The first two moves follow the work itself: agreeing the development plan moves an
enrolled household to "plan agreed" (`plan_agreed`, called by `development.start_plan`),
and the first follow-up visit after it to "in progress" (`work_started`). Graduating and
leaving are decisions of centre staff: graduation names its evidence (`evidence`), and
leaving names its reason.
"""

from __future__ import annotations

import datetime as dt
from typing import NoReturn

from django.db import transaction
from django.dispatch import Signal
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.core import thai_dates
from onehome.core.state_machine import Step, Workflow
from onehome.errors import NotInScopeError, ValidationError
from onehome.registry.models import Household
from onehome.targeting.models import Run, RunStatus
from onehome.volunteers.assignments.selectors import household_for_work_or_404
from onehome.volunteers.course import evidence as evidence_checks
from onehome.volunteers.models import CourseStatus, Enrollment, GraduationEvidence, HouseholdPlan

S = CourseStatus
PLAN = Action.PLAN_HOUSEHOLD_DEVELOPMENT
MOVE = Action.MOVE_HOUSEHOLD_COURSE
_LEAVE = Step("leave", gettext_lazy("Left the project"), MOVE, reason_required=True)
COURSE_STEPS = {
    (S.ENROLLED, S.PLAN_AGREED): Step("agree_plan", gettext_lazy("Plan agreed"), PLAN),
    (S.PLAN_AGREED, S.IN_PROGRESS): Step("start", gettext_lazy("Work started"), PLAN),
    (S.IN_PROGRESS, S.GRADUATED): Step("graduate", gettext_lazy("Out of poverty"), MOVE),
    (S.ENROLLED, S.LEFT): _LEAVE,
    (S.PLAN_AGREED, S.LEFT): _LEAVE,
    (S.IN_PROGRESS, S.LEFT): _LEAVE,
}
FINISHED = frozenset({S.GRADUATED, S.LEFT})
course_moved = Signal()


def household_in_scope(actor: User, household_id: int) -> Household:
    try:
        return household_for_work_or_404(user=actor, pk=household_id)
    except Http404 as exc:
        raise NotInScopeError from exc


class CourseWorkflow(Workflow[Enrollment]):
    """The course's moves; a household the actor does not work on is 404."""

    model = Enrollment
    steps = COURSE_STEPS
    moved = course_moved

    def lock(self, actor: User, pk: int) -> Enrollment:
        household_id = Enrollment.objects.filter(pk=pk).values_list("household_id", flat=True)
        if not household_id:
            raise NotInScopeError
        household_in_scope(actor, household_id[0])
        return Enrollment.objects.select_for_update().get(pk=pk)

    def refuse_move(self, obj: Enrollment, to_status: str) -> NoReturn:
        raise ValidationError(
            _(
                "The household is “%(current)s”; it cannot become “%(requested)s”. The course "
                "goes enrolled → plan agreed → in progress → out of poverty, or left."
            )
            % {"current": self.status_label(obj.status), "requested": self.status_label(to_status)},
            code="transition",
        )

    def audit_subject(self, obj):
        return {"household_id": obj.household_id}


COURSE = CourseWorkflow()


def _day(value: object, what: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(_("Enter the day %(what)s.") % {"what": what})
    if value > timezone.localdate():
        raise ValidationError(
            _("The day cannot be in the future (%(d)s).") % {"d": thai_dates.format_date(value)}
        )
    return value


@transaction.atomic
def enrol(*, actor: User, household_id: int, enrolled_on: dt.date, run_id: int | None = None):
    """Enrol a household in the project. Enrolling a household already in it returns its
    enrolment unchanged; a household that finished the course is refused."""
    if not may(actor, MOVE):
        raise NotInScopeError
    household = household_in_scope(actor, household_id)
    existing = Enrollment.objects.select_for_update().filter(household=household).first()
    if existing is not None:
        if existing.status in FINISHED:
            raise ValidationError(
                _("This household already finished the project (%(status)s).")
                % {"status": existing.get_status_display()}
            )
        return existing
    enrolled_on = _day(enrolled_on, _("the household was enrolled"))
    run = None
    if run_id is not None:
        run = Run.objects.filter(pk=run_id, status=RunStatus.DONE).first()
        if run is None:
            raise ValidationError(_("Choose a finished targeting run."))
    plan = HouseholdPlan.objects.filter(household=household, agreed_on__isnull=False).first()
    enrollment = Enrollment.objects.create(
        household=household,
        enrolled_on=enrolled_on,
        run=run,
        status=S.PLAN_AGREED if plan else S.ENROLLED,
        plan_agreed_on=plan.agreed_on if plan else None,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=enrollment,
        after=audit.snapshot(enrollment),
        household_id=household.pk,
    )
    return enrollment


def plan_agreed(*, actor: User, household_id: int, agreed_on: dt.date) -> Enrollment | None:
    """An enrolled household's plan was agreed: its course moves on (none: not enrolled)."""
    enrollment = Enrollment.objects.filter(household_id=household_id, status=S.ENROLLED).first()
    if enrollment is None:
        return None
    return COURSE.transition(
        actor=actor,
        pk=enrollment.pk,
        to_status=S.PLAN_AGREED,
        version=enrollment.version,
        changes={"plan_agreed_on": agreed_on},
    )


def work_started(*, actor: User, household_id: int) -> Enrollment | None:
    """The first follow-up visit after the plan: "in progress" (when the actor may say so)."""
    return work_started_among({household_id: actor}).get(household_id)


def work_started_among(visited: dict[int, User]) -> dict[int, Enrollment]:
    """`work_started` for several households ({household id: who visited}), looked up in
    one query; each move is its own transition."""
    moved = {}
    for enrollment in Enrollment.objects.filter(household_id__in=visited, status=S.PLAN_AGREED):
        actor = visited[enrollment.household_id]
        if COURSE.can_move(enrollment, actor, S.IN_PROGRESS):
            moved[enrollment.household_id] = COURSE.transition(
                actor=actor, pk=enrollment.pk, to_status=S.IN_PROGRESS, version=enrollment.version
            )
    return moved


def still_followed(household_id: int) -> bool:
    """Whether follow-up visits continue: not after the household graduated or left."""
    return household_id in still_followed_among([household_id])


def still_followed_among(household_ids: list[int]) -> set[int]:
    """Those of the households whose follow-up visits continue (`still_followed`)."""
    finished = Enrollment.objects.filter(
        household_id__in=household_ids, status__in=FINISHED
    ).order_by()
    return set(household_ids) - set(finished.values_list("household_id", flat=True))


@transaction.atomic
def start_work(*, actor: User, enrollment_id: int, version: int | None) -> Enrollment:
    return COURSE.transition(
        actor=actor, pk=enrollment_id, to_status=S.IN_PROGRESS, version=version
    )


@transaction.atomic
def graduate(
    *,
    actor: User,
    enrollment_id: int,
    version: int | None,
    graduated_on: dt.date,
    evidence: str,
    round_id: int | None = None,
    assessment_id: int | None = None,
    note: str = "",
) -> Enrollment:
    """Out of poverty, on evidence: a survey round in which the household is no longer
    poor, or a recorded assessment (a case assessment with no need, or the latest record
    book with no deprivation) with a note. Refused with the reason when it does not show it."""
    enrollment, step, _reason = COURSE.prepare(
        actor=actor, pk=enrollment_id, to_status=S.GRADUATED, version=version
    )
    graduated_on = _day(graduated_on, _("the household left poverty"))
    if graduated_on < enrollment.enrolled_on:
        raise ValidationError(_("The household cannot graduate before it was enrolled."))
    note = (note or "").strip()[:300]
    changes: dict = {"graduated_on": graduated_on, "evidence": evidence, "reason": note}
    if evidence == GraduationEvidence.SURVEY_ROUND:
        changes["evidence_round"] = evidence_checks.check_survey_round(actor, enrollment, round_id)
    elif evidence == GraduationEvidence.ASSESSMENT:
        if not note:
            raise ValidationError(_("Say in a note what the assessment found."))
        evidence_checks.check_assessment(enrollment, assessment_id)
    else:
        raise ValidationError(_("Name the evidence: a survey round or a recorded assessment."))
    return COURSE.complete(
        enrollment, actor=actor, step=step, to_status=S.GRADUATED, reason=note, changes=changes
    )


@transaction.atomic
def leave(
    *, actor: User, enrollment_id: int, version: int | None, left_on: dt.date, reason: str
) -> Enrollment:
    """The household left the project for another reason (moved away, declined, died…)."""
    enrollment, step, reason = COURSE.prepare(
        actor=actor, pk=enrollment_id, to_status=S.LEFT, version=version, reason=reason
    )
    left_on = _day(left_on, _("the household left"))
    changes = {"left_on": left_on, "reason": reason[:300]}
    return COURSE.complete(
        enrollment, actor=actor, step=step, to_status=S.LEFT, reason=reason, changes=changes
    )
