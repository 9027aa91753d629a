"""The case state machine: the one table of allowed transitions and the one service that
moves a case along it.

Every status change of a case goes through `transition()`. It locks the case, checks that
the user may see it, that their copy is current, that the move is in `TRANSITIONS`, that
their role may make it and that a required reason is given; then it records the move on the
timeline and in the audit log, bumps the version and sends `case_transitioned` (SLA and
notifications listen to it, inside the same transaction). Anything else is refused with a
message naming the current and the requested status.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access import audit
from onehome.access.models import AuditAction, Role, User
from onehome.cases.deadlines import sla
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import Case, CaseStatus, CaseWorker, EventKind, ReferralStatus
from onehome.cases.visibility.selectors import get_visible_case
from onehome.errors import StaleVersionError, ValidationError

# Those who work on cases; hotline operators take reports but do not run cases.
WORKERS = frozenset({Role.CENTRE_STAFF, Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.PROVINCIAL_HEAD})
APPROVERS = frozenset({Role.SUPERVISOR, Role.PROVINCIAL_HEAD})


@dataclass(frozen=True)
class Rule:
    action: str
    label: Promise
    roles: frozenset[str]
    reason_required: bool = False
    # A refused closure may only go back to where the case was before the request.
    back_to_before_closure: bool = False
    refusal: Promise | None = None


S = CaseStatus
_CLOSURE_NEEDS_APPROVAL = gettext_lazy("Closure needs a supervisor's approval.")

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.WAITING, S.ASSESSING): Rule("accept", gettext_lazy("Accept the case"), WORKERS),
    (S.ASSESSING, S.REFERRED): Rule("refer", gettext_lazy("Refer"), WORKERS),
    (S.ASSESSING, S.ASSISTANCE_REPORTED): Rule(
        "report_assistance", gettext_lazy("Report assistance given"), WORKERS
    ),
    (S.REFERRED, S.ASSISTANCE_REPORTED): Rule(
        "report_assistance", gettext_lazy("Report assistance given"), WORKERS
    ),
    # Every referral was declined: back to assessment to find another way.
    (S.REFERRED, S.ASSESSING): Rule(
        "reassess", gettext_lazy("Back to assessment"), WORKERS, reason_required=True
    ),
    (S.ASSISTANCE_REPORTED, S.ASSISTANCE_DONE): Rule(
        "confirm_assistance", gettext_lazy("Confirm assistance done"), WORKERS
    ),
    (S.ASSISTANCE_REPORTED, S.REFERRED): Rule("refer", gettext_lazy("Refer again"), WORKERS),
    (S.ASSISTANCE_DONE, S.CLOSURE_REQUESTED): Rule(
        "request_closure", gettext_lazy("Request closure"), WORKERS
    ),
    # Closing without assistance (no help needed, family moved away…) must say why.
    (S.ASSESSING, S.CLOSURE_REQUESTED): Rule(
        "request_closure", gettext_lazy("Request closure"), WORKERS, reason_required=True
    ),
    (S.CLOSURE_REQUESTED, S.CLOSED): Rule(
        "approve_closure",
        gettext_lazy("Approve closure"),
        APPROVERS,
        refusal=_CLOSURE_NEEDS_APPROVAL,
    ),
    (S.CLOSURE_REQUESTED, S.ASSESSING): Rule(
        "refuse_closure",
        gettext_lazy("Refuse closure"),
        APPROVERS,
        reason_required=True,
        back_to_before_closure=True,
        refusal=_CLOSURE_NEEDS_APPROVAL,
    ),
    (S.CLOSURE_REQUESTED, S.ASSISTANCE_DONE): Rule(
        "refuse_closure",
        gettext_lazy("Refuse closure"),
        APPROVERS,
        reason_required=True,
        back_to_before_closure=True,
        refusal=_CLOSURE_NEEDS_APPROVAL,
    ),
    (S.CLOSED, S.ASSESSING): Rule("reopen", gettext_lazy("Reopen"), WORKERS, reason_required=True),
}

# Sent inside the transaction after every transition, with case, from_status, to_status,
# actor, reason and rule. Receivers (SLA deadlines, notifications) write in the same
# transaction, so a refused write downstream undoes the transition too.
case_transitioned = Signal()


def status_label(status: str) -> str:
    try:
        return str(CaseStatus(status).label)
    except ValueError:
        return status


def check_version(obj: Case, version: int | None) -> None:
    """Refuse a write based on an old copy (the caller sends the version it loaded)."""
    try:
        given = int(version)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        given = None
    if given != obj.version:
        raise StaleVersionError(current_version=obj.version, given_version=version)


def is_involved(user: User, case: Case) -> bool:
    """Whether the user's agency works on the case: it owns it, the user or a colleague is
    assigned (colleagues count for supervisors only), or it has a live referral on it.
    Provincial heads answer for every case of their area."""
    if user.has_role(Role.PROVINCIAL_HEAD):
        return True
    org = user.organisation_id
    if org and org == case.owner_id:
        return True
    assigned = Q(user=user)
    if org and user.has_role(Role.SUPERVISOR):
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
    if user.has_role(Role.PROVINCIAL_HEAD):
        return True
    org = user.organisation_id
    if org and org == case.owner_id:
        return True
    colleagues = bool(org) and user.has_role(Role.SUPERVISOR)
    for a in assignments:
        if a.user_id == user.pk or (colleagues and a.user.organisation_id == org):
            return True
    return bool(org) and any(
        org in (r.from_org_id, r.to_org_id) and r.status != ReferralStatus.DECLINED
        for r in referrals
    )


def _may(user: User, case: Case, rule: Rule) -> bool:
    return user.is_active and user.has_role(*rule.roles) and is_involved(user, case)


def allowed_next(
    case: Case, user: User, *, involved: Callable[[], bool] | None = None
) -> list[tuple[str, Rule]]:
    """(to_status, rule) of each move the user may make on the case now (page buttons).
    ``involved`` answers `is_involved` when the caller already has what it needs."""
    moves = []
    for (from_status, to_status), rule in TRANSITIONS.items():
        if from_status != case.status:
            continue
        if rule.back_to_before_closure and to_status != case.status_before_closure:
            continue
        if user.is_active and user.has_role(*rule.roles):
            moves.append((to_status, rule))
    if moves and not (involved() if involved else is_involved(user, case)):
        return []
    return moves


def _refuse_move(case: Case, to_status: str) -> NoReturn:
    raise ValidationError(
        _("A case that is “%(current)s” cannot be changed to “%(requested)s”.")
        % {"current": status_label(case.status), "requested": status_label(to_status)},
        code="transition",
    )


@transaction.atomic
def transition(
    *, actor: User, case_id: int, to_status: str, reason: str = "", version: int | None
) -> Case:
    """Move a case to `to_status` (see the module docstring). Returns the updated case."""
    case = get_visible_case(actor, case_id, for_update=True)
    check_version(case, version)
    rule = TRANSITIONS.get((case.status, to_status))
    if rule is None:
        _refuse_move(case, to_status)
    if rule.back_to_before_closure and to_status != case.status_before_closure:
        raise ValidationError(
            _("A refused closure goes back to “%(previous)s”, not “%(requested)s”.")
            % {
                "previous": status_label(case.status_before_closure),
                "requested": status_label(to_status),
            },
            code="transition",
        )
    if not _may(actor, case, rule):
        raise ValidationError(
            str(rule.refusal)
            if rule.refusal and is_involved(actor, case)
            else _("You may not do this on this case: %(action)s.") % {"action": rule.label},
            code="not_allowed",
        )
    reason = (reason or "").strip()
    if rule.reason_required and not reason:
        raise ValidationError(
            _("Give a reason to change the case from “%(current)s” to “%(requested)s”.")
            % {"current": status_label(case.status), "requested": status_label(to_status)},
            code="reason",
        )

    before = audit.snapshot(case, ["status", "status_before_closure", "closed_at", "version"])
    from_status = case.status
    case.status = to_status
    if to_status == S.CLOSURE_REQUESTED:
        case.status_before_closure = from_status
    elif from_status == S.CLOSURE_REQUESTED:
        case.status_before_closure = ""
    if to_status == S.CLOSED:
        case.closed_at = timezone.now()
    elif from_status == S.CLOSED:
        case.closed_at = None
    case.version += 1
    clock = sla.on_status(case, to_status)
    case.save(update_fields=["status", "status_before_closure", "closed_at", "version", *clock])
    add_event(
        case,
        kind=EventKind.TRANSITION,
        actor=actor,
        text=reason,
        data={"action": rule.action},
        from_status=from_status,
        to_status=to_status,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        before=before,
        after=audit.snapshot(case, ["status", "status_before_closure", "closed_at", "version"]),
        purpose=f"case {rule.action}: {reason}" if reason else f"case {rule.action}",
    )
    case_transitioned.send(
        sender=Case,
        case=case,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        rule=rule,
    )
    return case
