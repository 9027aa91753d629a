"""The breach register: recording a breach, and its notices — to the PDPC within 72 hours
of discovery unless it poses no risk, and to the people too when the risk is high
(PDPA s.37(4)). Statuses move on the shared state machine: open → notified → closed."""

import datetime as dt
from typing import NoReturn

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.access.scope import in_scope, scoped
from onehome.core.state_machine import Step, Workflow, check_version
from onehome.errors import NotInScopeError, ValidationError
from onehome.geo.models import Subdistrict
from onehome.privacy.models import Breach, BreachStatus, RiskLevel

S = BreachStatus
KEEP = Action.RECORD_BREACHES
BREACH_STEPS = {
    (S.OPEN, S.NOTIFIED): Step("notify_pdpc", gettext_lazy("PDPC notified"), KEEP),
    (S.OPEN, S.CLOSED): Step("close", gettext_lazy("Close"), KEEP, reason_required=True),
    (S.NOTIFIED, S.CLOSED): Step("close", gettext_lazy("Close"), KEEP, reason_required=True),
}
breach_moved = Signal()
TEXT_MAX = 5000


class BreachWorkflow(Workflow[Breach]):
    model = Breach
    steps = BREACH_STEPS
    moved = breach_moved

    def lock(self, actor: User, pk: int) -> Breach:
        qs = scoped(actor, Breach.objects.select_for_update(), action=KEEP)
        try:
            return qs.get(pk=pk)
        except (Breach.DoesNotExist, ValueError, TypeError):
            raise NotInScopeError from None

    def applies(self, obj: Breach, to_status: str, step: Step) -> bool:
        # A breach that must be notified is closed only after the PDPC was told.
        return not (obj.status == S.OPEN and to_status == S.CLOSED and obj.needs_pdpc_notice)

    def refuse_inapplicable(self, obj: Breach, to_status: str) -> NoReturn:
        raise ValidationError(
            _("Notify the PDPC before closing a breach that poses a risk."), code="transition"
        )

    def ask_reason(self, obj: Breach, to_status: str) -> NoReturn:
        raise ValidationError(_("Write how the breach was resolved."), code="reason")

    def audit_purpose(self, step: Step, reason: str) -> str:
        return f"breach {step.action}"


BREACHES = BreachWorkflow()


def _aware(moment: dt.datetime | None, what: str) -> dt.datetime:
    if moment is None:
        raise ValidationError(_("Enter when %(what)s.") % {"what": what})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(_("The time cannot be in the future."))
    return moment


@transaction.atomic
def record_breach(
    *,
    actor: User,
    discovered_at: dt.datetime | None,
    subdistrict: str,
    description: str,
    records_affected: int = 0,
    people_affected: int = 0,
    risk: str,
    measures: str = "",
) -> Breach:
    if not may(actor, KEEP):
        raise ValidationError(_("Only the data protection officer keeps this register."))
    discovered = _aware(discovered_at, _("the breach was discovered"))
    if not Subdistrict.objects.filter(code=subdistrict).exists() or not in_scope(
        actor, subdistrict_code=subdistrict, action=KEEP
    ):
        raise ValidationError(_("Choose a sub-district of your area."), code="subdistrict")
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Describe what happened."), code="description")
    if risk not in RiskLevel.values:
        raise ValidationError(_("Choose the risk level."), code="risk")
    if min(records_affected or 0, people_affected or 0) < 0:
        raise ValidationError(_("Counts cannot be negative."))
    breach = Breach.objects.create(
        discovered_at=discovered,
        subdistrict_id=subdistrict,
        description=description[:TEXT_MAX],
        records_affected=records_affected or 0,
        people_affected=people_affected or 0,
        risk=risk,
        measures=(measures or "").strip()[:TEXT_MAX],
        recorded_by=actor,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=breach, after=audit.snapshot(breach))
    return breach


@transaction.atomic
def notify_pdpc(
    *,
    actor: User,
    breach_id: int,
    version: int | None,
    at: dt.datetime | None,
    late_reason: str = "",
) -> Breach:
    """Record the notice to the PDPC; past 72 hours it needs the reason for the delay."""
    when = _aware(at, _("the PDPC was notified"))
    obj, step, _reason = BREACHES.prepare(
        actor=actor, pk=breach_id, to_status=S.NOTIFIED, version=version
    )
    if when < obj.discovered_at:
        raise ValidationError(_("The notice cannot come before the discovery."))
    late_reason = (late_reason or "").strip()[:300]
    if when > obj.notice_due_at and not late_reason:
        raise ValidationError(
            _("The notice is later than 72 hours after discovery: give the reason for the delay."),
            code="late_reason",
        )
    return BREACHES.complete(
        obj,
        actor=actor,
        step=step,
        to_status=S.NOTIFIED,
        changes={"notified_pdpc_at": when, "late_reason": late_reason},
    )


@transaction.atomic
def notify_subjects(
    *, actor: User, breach_id: int, version: int | None, at: dt.datetime | None
) -> Breach:
    """Record that the people affected were told (needed when the risk is high)."""
    when = _aware(at, _("the people were notified"))
    breach = BREACHES.lock(actor, breach_id)
    if not may(actor, KEEP):
        raise ValidationError(_("Only the data protection officer keeps this register."))
    check_version(breach, version)
    if when < breach.discovered_at:
        raise ValidationError(_("The notice cannot come before the discovery."))
    before = audit.snapshot(breach)
    breach.notified_subjects_at = when
    breach.version += 1
    breach.save(update_fields=["notified_subjects_at", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=breach,
        before=before,
        after=audit.snapshot(breach),
        purpose="breach: people notified",
    )
    return breach


def close_breach(*, actor: User, breach_id: int, version: int | None, reason: str) -> Breach:
    return BREACHES.transition(
        actor=actor, pk=breach_id, to_status=S.CLOSED, version=version, reason=reason
    )
