"""Writes on a case that are not assessments, referrals or assistance: workers, transfer,
notes, closure and reopening. Triage (report → case) is `intake.triage`.

Each function is one transaction that locks the case, refuses a stale `version`
(StaleVersionError), raises user errors before writing, adds a timeline event and an audit
record. Status changes go through `transitions.transition`, never around it.
"""

import copy
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.access.scope import in_scope
from onehome.cases.lifecycle import transitions
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.lifecycle.transitions import check_version, is_involved
from onehome.cases.models import Case, CaseStatus, CaseWorker, EventKind
from onehome.cases.visibility.selectors import get_visible_case
from onehome.errors import ValidationError
from onehome.notifications.services import notify
from onehome.orgs.models import AGENCY_KINDS, CENTRE_KINDS, Organisation

__all__ = [
    "assign_worker",
    "unassign_worker",
    "transfer_case",
    "add_note",
    "request_closure",
    "approve_closure",
    "close_case",
    "closure_plan",
    "ClosurePlan",
    "refuse_closure",
    "reopen_case",
]


def _open_case_for(actor: User, case_id: int, version: int | None) -> Case:
    case = get_visible_case(actor, case_id, for_update=True)
    check_version(case, version)
    if not case.is_open:
        raise ValidationError(
            _("Case %(number)s is closed.") % {"number": case.number}, code="case_closed"
        )
    return case


def _bump(case: Case) -> Case:
    case.version += 1
    case.save(update_fields=["version"])
    return case


def add_worker(case: Case, *, actor: User, user: User, lead: bool) -> Case:
    """Assign `user` to a case the caller has locked and checked; bumps its version."""
    if CaseWorker.objects.filter(case=case, user=user).exists():
        raise ValidationError(
            _("%(name)s already works on this case.") % {"name": user.get_full_name() or user},
            code="assigned",
        )
    if lead:
        CaseWorker.objects.filter(case=case, lead=True).update(lead=False)
    CaseWorker.objects.create(case=case, user=user, lead=lead)
    add_event(case, kind=EventKind.ASSIGNMENT, actor=actor, data={"user": user.pk, "lead": lead})
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        after={"assigned": user.pk, "lead": lead},
        purpose="assign worker",
    )
    return _bump(case)


@transaction.atomic
def assign_worker(
    *, actor: User, case_id: int, user_id: int, version: int | None, lead: bool = False
) -> Case:
    """Assign a worker. Supervisors and provincial heads assign; a worker of the agency may
    take the case up themselves. The worker must cover the case's area."""
    case = _open_case_for(actor, case_id, version)
    self_assign = actor.pk == user_id and may(actor, Action.TAKE_UP_CASES)
    if not (may(actor, Action.ASSIGN_WORKERS) or self_assign) or not is_involved(actor, case):
        raise ValidationError(_("Only a supervisor may assign workers."), code="not_allowed")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if (
        user is None
        or not may(user, Action.BE_ASSIGNED_CASES)
        or not in_scope(user, subdistrict_code=case.subdistrict_id)
    ):
        raise ValidationError(
            _("This user cannot work on cases in this area."), code="not_assignable"
        )
    return add_worker(case, actor=actor, user=user, lead=lead)


@transaction.atomic
def unassign_worker(*, actor: User, case_id: int, user_id: int, version: int | None) -> Case:
    case = _open_case_for(actor, case_id, version)
    if not (may(actor, Action.ASSIGN_WORKERS) or actor.pk == user_id) or not is_involved(
        actor, case
    ):
        raise ValidationError(_("Only a supervisor may remove workers."), code="not_allowed")
    deleted, _rows = CaseWorker.objects.filter(case=case, user_id=user_id).delete()
    if not deleted:
        raise ValidationError(_("This user is not assigned to the case."), code="not_assigned")
    add_event(case, kind=EventKind.ASSIGNMENT, actor=actor, data={"removed": user_id})
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        before={"assigned": user_id},
        purpose="unassign worker",
    )
    return _bump(case)


@transaction.atomic
def transfer_case(
    *, actor: User, case_id: int, to_org_id: int, reason: str, version: int | None
) -> Case:
    """Hand the case to another ministry agency or centre of its province (partners get
    referrals, not cases). The timeline goes with it: one story whoever holds it."""
    case = _open_case_for(actor, case_id, version)
    owns = actor.organisation_id == case.owner_id and may(actor, Action.MOVE_CASES)
    if not (owns or may(actor, Action.ANSWER_FOR_AREA_CASES)):
        raise ValidationError(
            _("Only the agency that holds the case may transfer it."), code="not_allowed"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the transfer."), code="reason")
    province = case.subdistrict.province_id
    target = (
        Organisation.objects.filter(pk=to_org_id, kind__in=AGENCY_KINDS | CENTRE_KINDS)
        .filter(Q(province_id=province) | Q(province__isnull=True))
        .first()
    )
    if target is None or target.pk == case.owner_id:
        raise ValidationError(
            _("Choose another agency of this province to take the case."), code="to_org"
        )
    before = {"owner": case.owner_id, "version": case.version}
    case.owner = target
    case.version += 1
    case.save(update_fields=["owner", "version"])
    add_event(
        case,
        kind=EventKind.TRANSFER,
        actor=actor,
        text=reason,
        data={"from_org": before["owner"], "to_org": target.pk},
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        before=before,
        after={"owner": target.pk, "version": case.version},
        purpose=f"transfer: {reason}",
    )
    return case


@transaction.atomic
def add_note(*, actor: User, case_id: int, text: str) -> Case:
    """Add a note to the timeline. No version: a note is appended and overwrites nothing,
    so two workers writing notes at once must both succeed."""
    case = get_visible_case(actor, case_id)
    if not may(actor, Action.WRITE_CASE_NOTES):
        raise ValidationError(_("Your role may not write on cases."), code="not_allowed")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note."), code="text")
    event = add_event(case, kind=EventKind.NOTE, actor=actor, text=text)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=event, purpose="case note")
    return case


# --- closure and reopening (named steps of the state machine) --------------------------------


def request_closure(*, actor: User, case_id: int, reason: str = "", version: int | None) -> Case:
    return transitions.transition(
        actor=actor,
        case_id=case_id,
        to_status=CaseStatus.CLOSURE_REQUESTED,
        reason=reason,
        version=version,
    )


def approve_closure(*, actor: User, case_id: int, reason: str = "", version: int | None) -> Case:
    return transitions.transition(
        actor=actor, case_id=case_id, to_status=CaseStatus.CLOSED, reason=reason, version=version
    )


@dataclass(frozen=True)
class ClosurePlan:
    """What "close the case" does for this user now, so the page can say it before they
    confirm: ``approve`` a pending request, ``close`` directly (a supervisor: the request
    and its approval in one step), or ``request`` the closure for a supervisor to approve.
    ``reason_required``: closing without assistance must say why."""

    mode: str
    reason_required: bool = False


def closure_plan(user: User, case: Case, moves: list) -> ClosurePlan | None:
    """The closure the user may take on the case, from the moves the page already has
    (`transitions.allowed_next`); None when they may not close it now."""
    targets = {m.to_status: m.step for m in moves}
    if CaseStatus.CLOSED in targets and case.status == CaseStatus.CLOSURE_REQUESTED:
        return ClosurePlan("approve")
    step = targets.get(CaseStatus.CLOSURE_REQUESTED)
    if step is None:
        return None
    mode = "close" if _may_approve_once_requested(user, case) else "request"
    return ClosurePlan(mode, reason_required=step.reason_required)


def _may_approve_once_requested(user: User, case: Case) -> bool:
    """Whether `close_case` would approve the request it makes: the same state-machine
    check, asked of the case as it will be once the closure is requested (not saved)."""
    requested = copy.copy(case)
    requested.status_before_closure, requested.status = case.status, CaseStatus.CLOSURE_REQUESTED
    return transitions.CASES.can_move(requested, user, CaseStatus.CLOSED)


@transaction.atomic
def close_case(*, actor: User, case_id: int, reason: str = "", version: int | None) -> str:
    """The one "close the case" action, confirmed on the page. A pending request is
    approved; otherwise the closure is requested and, when the actor may decide closures
    (a supervisor of an agency on the case), approved in the same transaction. Each move
    goes through the state machine and is recorded on its own. Returns what was done:
    "approved", "closed" or "requested" (then the agency's supervisors are notified)."""
    case = get_visible_case(actor, case_id, for_update=True)
    if case.status == CaseStatus.CLOSURE_REQUESTED:
        approve_closure(actor=actor, case_id=case_id, reason=reason, version=version)
        return "approved"
    case = request_closure(actor=actor, case_id=case_id, reason=reason, version=version)
    if transitions.CASES.can_move(case, actor, CaseStatus.CLOSED):
        approve_closure(actor=actor, case_id=case_id, reason=reason, version=case.version)
        return "closed"
    _notify_approvers(case, actor)
    return "requested"


def closure_approvers(case: Case) -> list[User]:
    """Who decides a closure request on the case: the owning agency's users whose role may
    decide closures (the provincial heads of the area see it in their work list too)."""
    if not case.owner_id:
        return []
    staff = User.objects.filter(organisation_id=case.owner_id, is_active=True).order_by("pk")
    return [u for u in staff if may(u, Action.DECIDE_CLOSURE)]


def _notify_approvers(case: Case, actor: User) -> None:
    users = [u for u in closure_approvers(case) if u.pk != actor.pk]
    if users:
        notify(
            users=users,
            kind="closure_requested",
            title=_("Closure to approve — %(case)s") % {"case": case.number},
            body=_("%(name)s asks to close the case. Open it to approve or refuse.")
            % {"name": actor.get_full_name() or actor.username},
            case=case,
        )


@transaction.atomic
def refuse_closure(*, actor: User, case_id: int, reason: str, version: int | None) -> Case:
    """Send the case back to where it was before the closure request."""
    case = get_visible_case(actor, case_id, for_update=True)
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        check_version(case, version)
        raise ValidationError(
            _("Case %(number)s is not waiting for closure approval.") % {"number": case.number},
            code="transition",
        )
    return transitions.transition(
        actor=actor,
        case_id=case_id,
        to_status=case.status_before_closure,
        reason=reason,
        version=version,
    )


def reopen_case(*, actor: User, case_id: int, reason: str, version: int | None) -> Case:
    return transitions.transition(
        actor=actor, case_id=case_id, to_status=CaseStatus.ASSESSING, reason=reason, version=version
    )
