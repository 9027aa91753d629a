"""The case state machine: the one table of allowed transitions, on the shared helper
(`onehome.core.state_machine`).

Every status change of a case goes through `transition()`. It locks the case, checks that
the user may see it, that their copy is current, that the move is in `TRANSITIONS`, that
their role may make it (the role table) and their agency works on the case, and that a
required reason is given; then it records the move on the timeline and in the audit log,
restarts the step's deadline (`sla.on_status`), bumps the version and sends
`case_transitioned` inside the same transaction. Anything else is refused with a message
naming the current and the requested status.
"""

from collections.abc import Callable
from typing import NoReturn

from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.cases.deadlines import sla
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import Case, CaseStatus, CaseWorker, EventKind, ReferralStatus
from onehome.cases.visibility.selectors import get_visible_case
from onehome.core.state_machine import Move, Step, Workflow, check_version
from onehome.errors import ValidationError

__all__ = [
    "TRANSITIONS",
    "CASES",
    "allowed_next",
    "case_transitioned",
    "check_version",
    "follow",
    "involved_by",
    "is_involved",
    "status_label",
    "transition",
]

S = CaseStatus
MOVE = Action.MOVE_CASES
DECIDE = Action.DECIDE_CLOSURE
_CLOSURE_NEEDS_APPROVAL = gettext_lazy("Closure needs a supervisor's approval.")
_REFUSE_CLOSURE = Step(
    "refuse_closure",
    gettext_lazy("Refuse closure"),
    DECIDE,
    reason_required=True,
    refusal=_CLOSURE_NEEDS_APPROVAL,
)

TRANSITIONS: dict[tuple[str, str], Step] = {
    (S.WAITING, S.ASSESSING): Step("accept", gettext_lazy("Accept the case"), MOVE),
    (S.ASSESSING, S.REFERRED): Step("refer", gettext_lazy("Refer"), MOVE),
    (S.ASSESSING, S.ASSISTANCE_REPORTED): Step(
        "report_assistance", gettext_lazy("Report assistance given"), MOVE
    ),
    (S.REFERRED, S.ASSISTANCE_REPORTED): Step(
        "report_assistance", gettext_lazy("Report assistance given"), MOVE
    ),
    # Every referral was declined: back to assessment to find another way.
    (S.REFERRED, S.ASSESSING): Step(
        "reassess", gettext_lazy("Back to assessment"), MOVE, reason_required=True
    ),
    (S.ASSISTANCE_REPORTED, S.ASSISTANCE_DONE): Step(
        "confirm_assistance", gettext_lazy("Confirm assistance done"), MOVE
    ),
    (S.ASSISTANCE_REPORTED, S.REFERRED): Step("refer", gettext_lazy("Refer again"), MOVE),
    (S.ASSISTANCE_DONE, S.CLOSURE_REQUESTED): Step(
        "request_closure", gettext_lazy("Request closure"), MOVE
    ),
    # Closing without assistance (no help needed, family moved away…) must say why.
    (S.ASSESSING, S.CLOSURE_REQUESTED): Step(
        "request_closure", gettext_lazy("Request closure"), MOVE, reason_required=True
    ),
    (S.CLOSURE_REQUESTED, S.CLOSED): Step(
        "approve_closure",
        gettext_lazy("Approve closure"),
        DECIDE,
        refusal=_CLOSURE_NEEDS_APPROVAL,
    ),
    # A refused closure goes back only to where the case was before the request
    # (`CaseWorkflow.applies`).
    (S.CLOSURE_REQUESTED, S.ASSESSING): _REFUSE_CLOSURE,
    (S.CLOSURE_REQUESTED, S.ASSISTANCE_DONE): _REFUSE_CLOSURE,
    (S.CLOSED, S.ASSESSING): Step("reopen", gettext_lazy("Reopen"), MOVE, reason_required=True),
}

# Sent inside the transaction after every transition, with case (also as obj), from_status,
# to_status, actor, reason and rule (also as step). A receiver writes in the same
# transaction, so a refused write downstream undoes the transition too.
case_transitioned = Signal()
CASE_FIELDS = ["status", "status_before_closure", "closed_at", "version"]


def status_label(status: str) -> str:
    try:
        return str(CaseStatus(status).label)
    except ValueError:
        return status


def is_involved(user: User, case: Case) -> bool:
    """Whether the user's agency works on the case: it owns it, the user or a colleague is
    assigned (colleagues count for supervisors only), or it has a live referral on it.
    Provincial heads answer for every case of their area."""
    if may(user, Action.ANSWER_FOR_AREA_CASES):
        return True
    org = user.organisation_id
    if org and org == case.owner_id:
        return True
    assigned = Q(user=user)
    if org and may(user, Action.ANSWER_FOR_AGENCY_CASES):
        assigned |= Q(user__organisation_id=org)
    if CaseWorker.objects.filter(assigned, case=case).exists():
        return True
    return bool(org) and (
        case.referrals.filter(Q(from_org_id=org) | Q(to_org_id=org))
        .exclude(status=ReferralStatus.DECLINED)
        .exists()
    )


def involved_by(user: User, case: Case, *, assignments: list, referrals: list) -> bool:
    """`is_involved`, answered from the case's assignments (with their users) and referrals
    already read (the case's detail reads both anyway): the same rule, no query."""
    if may(user, Action.ANSWER_FOR_AREA_CASES):
        return True
    org = user.organisation_id
    if org and org == case.owner_id:
        return True
    colleagues = bool(org) and may(user, Action.ANSWER_FOR_AGENCY_CASES)
    for a in assignments:
        if a.user_id == user.pk or (colleagues and a.user.organisation_id == org):
            return True
    return bool(org) and any(
        org in (r.from_org_id, r.to_org_id) and r.status != ReferralStatus.DECLINED
        for r in referrals
    )


class CaseWorkflow(Workflow[Case]):
    model = Case
    steps = TRANSITIONS
    audited_fields = CASE_FIELDS
    moved = case_transitioned

    def lock(self, actor: User, pk: int) -> Case:
        return get_visible_case(actor, pk, for_update=True)

    def status_label(self, status: str) -> str:
        return status_label(status)

    def refuse_move(self, obj: Case, to_status: str) -> NoReturn:
        raise ValidationError(
            _("A case that is “%(current)s” cannot be changed to “%(requested)s”.")
            % {"current": status_label(obj.status), "requested": status_label(to_status)},
            code="transition",
        )

    def applies(self, obj: Case, to_status: str, step: Step) -> bool:
        return step is not _REFUSE_CLOSURE or to_status == obj.status_before_closure

    def refuse_inapplicable(self, obj: Case, to_status: str) -> NoReturn:
        raise ValidationError(
            _("A refused closure goes back to “%(previous)s”, not “%(requested)s”.")
            % {
                "previous": status_label(obj.status_before_closure),
                "requested": status_label(to_status),
            },
            code="transition",
        )

    def may_on(self, user: User, obj: Case, step: Step) -> bool:
        return is_involved(user, obj)

    def refuse_actor(self, user: User, obj: Case, step: Step) -> NoReturn:
        raise ValidationError(
            str(step.refusal)
            if step.refusal and is_involved(user, obj)
            else _("You may not do this on this case: %(action)s.") % {"action": step.label},
            code="not_allowed",
        )

    def ask_reason(self, obj: Case, to_status: str) -> NoReturn:
        raise ValidationError(
            _("Give a reason to change the case from “%(current)s” to “%(requested)s”.")
            % {"current": status_label(obj.status), "requested": status_label(to_status)},
            code="reason",
        )

    def apply(self, obj: Case, *, from_status: str, to_status: str) -> list[str]:
        if to_status == S.CLOSURE_REQUESTED:
            obj.status_before_closure = from_status
        elif from_status == S.CLOSURE_REQUESTED:
            obj.status_before_closure = ""
        if to_status == S.CLOSED:
            obj.closed_at = timezone.now()
        elif from_status == S.CLOSED:
            obj.closed_at = None
        return ["status_before_closure", "closed_at", *sla.on_status(obj, to_status)]

    def record(self, obj: Case, *, actor, step, from_status, to_status, reason, before) -> None:
        add_event(
            obj,
            kind=EventKind.TRANSITION,
            actor=actor,
            text=reason,
            data={"action": step.action},
            from_status=from_status,
            to_status=to_status,
        )
        super().record(
            obj,
            actor=actor,
            step=step,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            before=before,
        )

    def audit_purpose(self, step: Step, reason: str) -> str:
        return f"case {super().audit_purpose(step, reason)}"

    def signal_names(self, obj: Case, step: Step) -> dict:
        return {"case": obj, "rule": step}

    def allowed_next(
        self, obj: Case, user: User, *, involved: Callable[[], bool] | None = None
    ) -> list[Move]:
        """The moves the user may make; ``involved`` answers `is_involved` when the caller
        already has what it needs (the case page has read the assignments and referrals)."""
        moves = self.moves_by_role(obj, user)
        if moves and not (involved() if involved else is_involved(user, obj)):
            return []
        return moves


CASES = CaseWorkflow()


def follow(
    *, actor: User, case: Case, to_status: str, reason: str, when: str | None = None
) -> None:
    """Move the case on after a step of one of its records (a referral accepted, a service
    delivered), when it stands where that step moves it from (``when``, if given) and the
    actor may make the move. Otherwise the case is further along or elsewhere, or the actor
    may not move cases (a hotline operator delivering aid): the step is still recorded and
    the case neither goes back nor fails."""
    case.refresh_from_db(fields=["status", "version"])
    if when is not None and case.status != when:
        return
    if not CASES.can_move(case, actor, to_status):
        return
    transition(
        actor=actor, case_id=case.pk, to_status=to_status, reason=reason, version=case.version
    )


def allowed_next(
    case: Case, user: User, *, involved: Callable[[], bool] | None = None
) -> list[Move]:
    """Each move the user may make on the case now (page buttons)."""
    return CASES.allowed_next(case, user, involved=involved)


def transition(
    *, actor: User, case_id: int, to_status: str, reason: str = "", version: int | None
) -> Case:
    """Move a case to `to_status` (see the module docstring). Returns the updated case."""
    return CASES.transition(
        actor=actor, pk=case_id, to_status=to_status, reason=reason, version=version
    )
