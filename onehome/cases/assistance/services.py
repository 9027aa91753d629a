"""Services and assistance given on a case: counselling, shelter, cash aid (เงินสงเคราะห์),
in-kind aid from a centre's stock (relief bags, adult diapers…), education and job
support, and referral to another ministry.

A service is requested, approved, then delivered. Cash aid above the ceiling
(`settings.ONEHOME_CASH_AID_CEILING`, per time and per family) waits for a supervisor or
provincial head, who must not be the requester; anything else is approved at once on the
requester's own authority. Delivering cash aid writes the `Payment` with who approved it;
delivering in-kind aid takes the items out of the provider's stock (`stock.py`).
"""

from decimal import Decimal, InvalidOperation
from typing import NoReturn

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.cases.assistance import stock
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.lifecycle.transitions import follow
from onehome.cases.models import (
    Case,
    CaseStatus,
    EventKind,
    Payment,
    Service,
    ServiceKind,
    ServiceStatus,
    StockItem,
)
from onehome.cases.visibility.selectors import case_to_work_on, part_to_work_on, visible_cases
from onehome.core.state_machine import Step, Workflow
from onehome.errors import ValidationError
from onehome.notifications.services import notify
from onehome.orgs.models import Organisation
from onehome.registry.models import Household
from onehome.registry.selectors import people_in_scope

MAX_AMOUNT = Decimal("99999999.99")
_DECIDE = Action.APPROVE_CASH_AID
_DELIVER = Step("deliver", gettext_lazy("Delivered"), Action.WORK_ON_CASES)
SERVICE_STEPS = {
    (ServiceStatus.AWAITING_APPROVAL, ServiceStatus.APPROVED): Step(
        "approve", gettext_lazy("Approve"), _DECIDE
    ),
    (ServiceStatus.AWAITING_APPROVAL, ServiceStatus.REJECTED): Step(
        "reject", gettext_lazy("Reject"), _DECIDE, reason_required=True
    ),
    (ServiceStatus.APPROVED, ServiceStatus.DELIVERED): _DELIVER,
}
# Sent after every step of a service, like `case_transitioned` for cases.
service_moved = Signal()


def _amount(value: object) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter the amount in baht.")) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError(_("The amount must be more than 0 baht."))
    return amount


def family_cash_today(case: Case) -> Decimal:
    """Cash aid already requested today (not rejected) for the case's family — its
    household, or the case itself when it has none. Requests on one day are one "time", so
    splitting a large sum into small requests does not slip under the ceiling."""
    family = Q(case__household_id=case.household_id) if case.household_id else Q(case=case)
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    total = (
        Service.objects.filter(family, kind=ServiceKind.CASH_AID, requested_at__gte=start)
        .exclude(status=ServiceStatus.REJECTED)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal("0")


@transaction.atomic
def request_service(
    *,
    actor: User,
    case_id: int,
    kind: str,
    description: str = "",
    amount: Decimal | str | int | None = None,
    item_id: int | None = None,
    quantity: int | None = None,
    recipient_id: int | None = None,
    provider_id: int | None = None,
) -> Service:
    """Request a service on the case. The provider defaults to the actor's organisation."""
    case = case_to_work_on(actor, case_id)
    if kind not in ServiceKind.values:
        raise ValidationError(_("Choose a known kind of service."))
    provider_id = provider_id or actor.organisation_id
    provider = Organisation.objects.filter(pk=provider_id).first() if provider_id else None
    if provider is None:
        raise ValidationError(_("Choose the organisation that provides the service."))
    if recipient_id and not people_in_scope(actor).filter(pk=recipient_id).exists():
        raise ValidationError(_("The recipient is not a person you can see in the registry."))
    item = None
    if kind == ServiceKind.CASH_AID:
        amount = _amount(amount)
    elif amount not in (None, ""):
        raise ValidationError(_("Only cash aid has an amount."))
    else:
        amount = None
    if kind == ServiceKind.IN_KIND:
        item = StockItem.objects.filter(pk=item_id).first() if item_id else None
        if item is None:
            raise ValidationError(_("Choose the item to give."))
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise ValidationError(_("Enter how many to give (1 or more)."))
        left = stock.available(provider.pk, item.pk)
        if left < quantity:
            raise stock.not_enough(item, provider, left, quantity)
    elif item_id or quantity:
        raise ValidationError(_("Only in-kind aid takes items from stock."))
    needs_approval = False
    if amount is not None:
        if case.household_id:  # serialise requests for one family, or both see the old total
            Household.objects.select_for_update().filter(pk=case.household_id).first()
        ceiling = Decimal(settings.ONEHOME_CASH_AID_CEILING)
        needs_approval = family_cash_today(case) + amount > ceiling
    now = timezone.now()
    service = Service.objects.create(
        case=case,
        kind=kind,
        provider=provider,
        description=(description or "").strip()[:300],
        amount=amount,
        item=item,
        quantity=quantity if item else None,
        recipient_id=recipient_id or None,
        status=ServiceStatus.AWAITING_APPROVAL if needs_approval else ServiceStatus.APPROVED,
        requested_by=actor,
        approved_by=None if needs_approval else actor,
        approved_at=None if needs_approval else now,
    )
    text = _("%(kind)s requested") % {"kind": service.get_kind_display()}
    if needs_approval:
        text += " — " + _("awaiting approval (above %(c)s baht)") % {"c": ceiling}
    _log(actor, service, text, before=None)
    if needs_approval:
        _notify_approvers(service)
    return service


class ServiceWorkflow(Workflow[Service]):
    """A service's steps: cash aid above the ceiling waits for a supervisor or provincial
    head who is not the requester; an approved service is delivered."""

    model = Service
    steps = SERVICE_STEPS
    moved = service_moved

    def lock(self, actor: User, pk: int) -> Service:
        # Scope first: someone who cannot see the case must get 404, not a role message.
        return part_to_work_on(actor, Service, pk)

    def refuse_move(self, obj: Service, to_status: str) -> NoReturn:
        raise ValidationError(
            _("This service is %(now)s; it cannot be changed that way.")
            % {"now": obj.get_status_display()}
        )

    def may_on(self, user: User, obj: Service, step: Step) -> bool:
        return step is _DELIVER or obj.requested_by_id != user.pk

    def refuse_actor(self, user: User, obj: Service, step: Step) -> NoReturn:
        if step is not _DELIVER and may(user, step.permission):
            raise ValidationError(
                _("Someone other than the requester must decide on this request.")
            )
        if step is _DELIVER:
            raise ValidationError(_("Your role may not write on cases."), code="not_allowed")
        raise ValidationError(_("Only a supervisor or provincial head can decide on cash aid."))

    def ask_reason(self, obj: Service, to_status: str) -> NoReturn:
        raise ValidationError(_("Give the reason for rejecting the request."))

    def record(self, obj: Service, *, actor, step, from_status, to_status, reason, before):
        if step is _DELIVER:
            text = _("%(kind)s delivered") % {"kind": obj.get_kind_display()}
            text += f": {reason}" if reason else ""
        else:
            text = _("Approved") if to_status == ServiceStatus.APPROVED else _("Rejected")
            text = f"{obj.get_kind_display()}: {text}" + (f" — {reason}" if reason else "")
        _log(actor, obj, text, before=before)


SERVICES = ServiceWorkflow()


def _decide(actor: User, service_id: int, status: str, reason: str, version: int | None) -> Service:
    return SERVICES.transition(
        actor=actor,
        pk=service_id,
        to_status=status,
        version=version,
        reason=reason,
        changes={
            "approved_by": actor,
            "approved_at": timezone.now(),
            "decision_reason": (reason or "").strip()[:300],
        },
    )


@transaction.atomic
def approve_service(
    *, actor: User, service_id: int, version: int | None, reason: str = ""
) -> Service:
    return _decide(actor, service_id, ServiceStatus.APPROVED, reason, version)


@transaction.atomic
def reject_service(*, actor: User, service_id: int, version: int | None, reason: str) -> Service:
    return _decide(actor, service_id, ServiceStatus.REJECTED, reason, version)


@transaction.atomic
def deliver_service(
    *, actor: User, service_id: int, version: int | None, note: str = ""
) -> Service:
    """Record that an approved service was given: pays cash aid, takes in-kind aid from
    stock, and moves the case to "assistance reported" when it was being worked on."""
    service, step, note = SERVICES.prepare(
        actor=actor, pk=service_id, to_status=ServiceStatus.DELIVERED, version=version, reason=note
    )
    if service.kind == ServiceKind.IN_KIND:
        stock.take_for(actor, service)
    SERVICES.complete(
        service,
        actor=actor,
        step=step,
        to_status=ServiceStatus.DELIVERED,
        reason=note,
        changes={"delivered_at": timezone.now()},
    )
    if service.kind == ServiceKind.CASH_AID:
        _pay(actor, service)
    follow(
        actor=actor,
        case=service.case,
        to_status=CaseStatus.ASSISTANCE_REPORTED,
        reason=_("Assistance delivered"),
    )
    return service


def _pay(actor: User, service: Service) -> None:
    payment = Payment.objects.create(
        service=service, amount=service.amount, paid_by=actor, approved_by=service.approved_by
    )
    add_event(
        service.case,
        kind=EventKind.PAYMENT,
        actor=actor,
        text=_("Paid %(amount)s baht") % {"amount": payment.amount},
        data={"service": service.pk, "payment": payment.pk, "amount": str(payment.amount)},
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=payment,
        after=audit.snapshot(payment),
        subdistrict_code=service.case.subdistrict_id,
    )


def _log(actor: User, service: Service, text: str, *, before: dict | None) -> None:
    add_event(
        service.case,
        kind=EventKind.SERVICE,
        actor=actor,
        text=text,
        data={"service": service.pk, "kind": service.kind, "status": service.status},
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=service,
        before=before,
        after=audit.snapshot(service),
        subdistrict_code=service.case.subdistrict_id,
    )


def _notify_approvers(service: Service) -> None:
    """Tell the supervisors and provincial heads of the case's agency who can open it."""
    staff = User.objects.filter(organisation_id=service.case.owner_id, is_active=True)
    users = [
        u
        for u in staff[:200]
        if may(u, Action.APPROVE_CASH_AID)
        and u.pk != service.requested_by_id
        and visible_cases(u).filter(pk=service.case_id).exists()
    ]
    if users:
        notify(
            users=users,
            kind="cash_aid_approval",
            title=_("Cash aid awaiting approval — %(case)s") % {"case": service.case.number},
            body=_("%(amount)s baht") % {"amount": service.amount},
            case=service.case,
        )
