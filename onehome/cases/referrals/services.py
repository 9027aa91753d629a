"""Closed-loop referrals (ส่งต่อ) between the agencies and partners on a case.

The sender states the need and a due date; the receiving organisation accepts or
declines with a reason, delivers, and reports the outcome back — the sender is notified
at each answer, so no referral is sent into the void. A referral's own small state
machine is `REFERRAL_STEPS` on the shared helper (`ReferralWorkflow`); the case follows
(sent → referred, outcome → assistance reported) through `CASES`, the case's own.

Transferring a whole case to another agency is `lifecycle.services.transfer_case`, not a
referral.
"""

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
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.lifecycle.transitions import follow
from onehome.cases.models import CaseStatus, EventKind, Referral, ReferralStatus
from onehome.cases.visibility.selectors import case_to_work_on, part_to_work_on, visible_cases
from onehome.core.state_machine import Step, Workflow
from onehome.errors import DuplicateError, ValidationError
from onehome.notifications.services import notify
from onehome.orgs.models import Organisation
from onehome.privacy.consent import services as consent

S = ReferralStatus
WORK = Action.WORK_ON_CASES
_OUTCOME = Step("outcome", gettext_lazy("Report outcome"), WORK, reason_required=True)
# The referral's allowed steps, taken by the receiving organisation. An outcome may follow
# acceptance directly: "could not be delivered" is an outcome too, and the sender must hear it.
REFERRAL_STEPS = {
    (S.SENT, S.ACCEPTED): Step("accept", gettext_lazy("Accept"), WORK),
    (S.SENT, S.DECLINED): Step("decline", gettext_lazy("Decline"), WORK, reason_required=True),
    (S.ACCEPTED, S.DELIVERED): Step("deliver", gettext_lazy("Delivered"), WORK),
    (S.ACCEPTED, S.OUTCOME_REPORTED): _OUTCOME,
    (S.DELIVERED, S.OUTCOME_REPORTED): _OUTCOME,
}
# Sent after every step of a referral, like `case_transitioned` for cases.
referral_moved = Signal()
OPEN_REFERRAL = (S.SENT, S.ACCEPTED, S.DELIVERED)
NEED_MAX = 2000


def _due(due_at: dt.date | dt.datetime | None) -> dt.datetime:
    """A date means the end of that day, local time."""
    if due_at is None:
        raise ValidationError(_("Enter the date by which the need must be met."))
    if not isinstance(due_at, dt.datetime):
        due_at = dt.datetime.combine(due_at, dt.time(23, 59, 59))
    if timezone.is_naive(due_at):
        due_at = timezone.make_aware(due_at)
    if due_at <= timezone.now():
        raise ValidationError(_("The due date of a referral must be in the future."))
    return due_at


@transaction.atomic
def send_referral(
    *,
    actor: User,
    case_id: int,
    to_org_id: int,
    need: str,
    due_at: dt.date | dt.datetime | None,
    emergency_reason: str = "",
) -> Referral:
    """Refer the case from the actor's organisation to another one with a stated need.
    An organisation outside the ministry receives it only with the consent of the people
    the case is about, or with an emergency reason recorded as an override (PDPA)."""
    case = case_to_work_on(actor, case_id)
    if not actor.organisation_id:
        raise ValidationError(_("You must belong to an organisation to send a referral."))
    to_org = Organisation.objects.filter(pk=to_org_id).first() if to_org_id else None
    if to_org is None:
        raise ValidationError(_("Choose a known organisation to refer to."))
    if to_org.pk == actor.organisation_id:
        raise ValidationError(_("A referral goes to another organisation, not your own."))
    if not to_org.accepts_referrals:
        raise ValidationError(_("%(org)s does not accept referrals.") % {"org": to_org.name_th})
    need = (need or "").strip()
    if not need:
        raise ValidationError(_("State what is needed from the receiving organisation."))
    if len(need) > NEED_MAX:
        raise ValidationError(
            _("The need is too long (%(n)d characters at most).") % {"n": NEED_MAX}
        )
    due = _due(due_at)
    open_one = Referral.objects.filter(case=case, to_org=to_org, status__in=OPEN_REFERRAL).first()
    if open_one is not None:
        raise DuplicateError(
            _("This case already has an open referral to %(org)s.") % {"org": to_org.name_th},
            existing=open_one,
        )
    override = consent.check_referral(case=case, to_org=to_org, emergency_reason=emergency_reason)
    referral = Referral.objects.create(
        case=case,
        from_org_id=actor.organisation_id,
        to_org=to_org,
        need=need,
        sent_by=actor,
        due_at=due,
    )
    _log(actor, referral, _("Referred to %(org)s") % {"org": to_org.name_th}, before=None)
    if override:
        consent.record_override(actor=actor, referral=referral, reason=override)
    _notify_receivers(referral)
    # Sending is referring: the case moves to "referred" in the same transaction, through
    # the state machine (recorded and audited as any move), when its status allows it and
    # the sender's role may move cases; otherwise it stays where it is.
    _case_follows(actor, referral, None, CaseStatus.REFERRED)
    case.refresh_from_db(fields=["status", "version", "due_at"])
    return referral


class ReferralWorkflow(Workflow[Referral]):
    """A referral's steps, answered by the receiving organisation's case workers."""

    model = Referral
    steps = REFERRAL_STEPS
    moved = referral_moved

    def lock(self, actor: User, pk: int) -> Referral:
        referral = part_to_work_on(actor, Referral, pk, "to_org")
        # Before the version and the step: only the receiver answers, whatever its copy.
        if not self.may_on(actor, referral, None):
            self.refuse_actor(actor, referral, None)
        return referral

    def may_on(self, user: User, obj: Referral, step: Step | None) -> bool:
        return user.organisation_id == obj.to_org_id

    def refuse_actor(self, user: User, obj: Referral, step: Step | None) -> NoReturn:
        raise ValidationError(
            _("Only staff of %(org)s can answer this referral.") % {"org": obj.to_org.name_th}
        )

    def refuse_move(self, obj: Referral, to_status: str) -> NoReturn:
        raise ValidationError(
            _("This referral is %(now)s; it cannot be marked %(next)s.")
            % {"now": obj.get_status_display(), "next": S(to_status).label}
        )

    def record(self, obj: Referral, *, actor, step, from_status, to_status, reason, before):
        if step.action == "decline":
            text = _("Referral declined: %(r)s") % {"r": reason}
        elif step.action == "deliver":
            text = _("Referral delivered") + (f": {reason}" if reason else "")
        elif step.action == "outcome":
            text = _("Outcome reported: %(o)s") % {"o": reason}
        else:
            text = _("Referral accepted")
        _log(actor, obj, text, before=before)


REFERRALS = ReferralWorkflow()


@transaction.atomic
def accept_referral(
    *, actor: User, referral_id: int, version: int | None, note: str = ""
) -> Referral:
    note = (note or "").strip()[:300]
    referral = REFERRALS.transition(
        actor=actor,
        pk=referral_id,
        to_status=S.ACCEPTED,
        version=version,
        reason=note,
        changes={"responded_at": timezone.now(), "response_reason": note},
    )
    _case_follows(actor, referral, CaseStatus.ASSESSING, CaseStatus.REFERRED)
    _notify_sender(referral, _("Referral accepted"))
    return referral


@transaction.atomic
def decline_referral(
    *, actor: User, referral_id: int, version: int | None, reason: str
) -> Referral:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for declining the referral."))
    referral = REFERRALS.transition(
        actor=actor,
        pk=referral_id,
        to_status=S.DECLINED,
        version=version,
        reason=reason,
        changes={"responded_at": timezone.now(), "response_reason": reason[:300]},
    )
    _notify_sender(referral, _("Referral declined"))
    return referral


@transaction.atomic
def deliver_referral(
    *, actor: User, referral_id: int, version: int | None, note: str = ""
) -> Referral:
    return REFERRALS.transition(
        actor=actor,
        pk=referral_id,
        to_status=S.DELIVERED,
        version=version,
        reason=note,
        changes={"delivered_at": timezone.now()},
    )


@transaction.atomic
def report_referral_outcome(
    *, actor: User, referral_id: int, version: int | None, outcome: str
) -> Referral:
    """Report the outcome back to the sender; closes the loop."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError(_("Describe the outcome for the sending organisation."))
    referral = REFERRALS.transition(
        actor=actor,
        pk=referral_id,
        to_status=S.OUTCOME_REPORTED,
        version=version,
        reason=outcome,
        changes={"outcome": outcome, "outcome_at": timezone.now()},
    )
    _case_follows(actor, referral, CaseStatus.REFERRED, CaseStatus.ASSISTANCE_REPORTED)
    _notify_sender(referral, _("Referral outcome reported"))
    return referral


def _case_follows(actor: User, referral: Referral, when: str | None, to_status: str) -> None:
    reason = _("Referral to %(org)s") % {"org": referral.to_org.name_th}
    follow(actor=actor, case=referral.case, to_status=to_status, reason=reason, when=when)


def _log(actor: User, referral: Referral, text: str, *, before: dict | None) -> None:
    add_event(
        referral.case,
        kind=EventKind.REFERRAL,
        actor=actor,
        text=text,
        data={
            "referral": referral.pk,
            "from_org": referral.from_org_id,
            "to_org": referral.to_org_id,
            "status": referral.status,
        },
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=referral,
        before=before,
        after=audit.snapshot(referral),
        subdistrict_code=referral.case.subdistrict_id,
    )


def _notify_sender(referral: Referral, title: str) -> None:
    # Reasons and outcomes may name people: they stay on the case page, not in messages.
    notify(
        users=[referral.sent_by],
        kind=f"referral_{referral.status}",
        title=f"{title} — {referral.case.number}",
        body=_("%(org)s answered your referral. Open the case to read the details.")
        % {"org": referral.to_org.name_th},
        case=referral.case,
    )


def _notify_receivers(referral: Referral) -> None:
    """Tell the receiving organisation's case workers who can open the case. The need is
    left out of the message: it may hold personal data and a message travels outside."""
    staff = User.objects.filter(organisation_id=referral.to_org_id, is_active=True)
    users = [
        u
        for u in staff[:200]
        if may(u, Action.WORK_ON_CASES) and visible_cases(u).filter(pk=referral.case_id).exists()
    ]
    if users:
        notify(
            users=users,
            kind="referral_sent",
            title=_("New referral — %(case)s") % {"case": referral.case.number},
            body="",
            case=referral.case,
        )
