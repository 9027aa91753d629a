"""The register of data-subject requests: recording one, and moving it along
(received → in progress → answered, or refused with a reason) on the shared state machine."""

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
from onehome.access.scope import scoped
from onehome.core.state_machine import Step, Workflow
from onehome.errors import NotInScopeError, ValidationError
from onehome.privacy.models import DataRequest, RequestKind, RequestStatus
from onehome.privacy.requests import selectors
from onehome.privacy.requests.deadline import answer_due

S = RequestStatus
HANDLE = Action.HANDLE_DATA_REQUESTS
_ANSWER = Step("answer", gettext_lazy("Answered"), HANDLE, reason_required=True)
_REFUSE = Step("refuse", gettext_lazy("Refuse"), HANDLE, reason_required=True)
REQUEST_STEPS = {
    (S.RECEIVED, S.IN_PROGRESS): Step("start", gettext_lazy("Start work"), HANDLE),
    (S.RECEIVED, S.ANSWERED): _ANSWER,
    (S.IN_PROGRESS, S.ANSWERED): _ANSWER,
    (S.RECEIVED, S.REFUSED): _REFUSE,
    (S.IN_PROGRESS, S.REFUSED): _REFUSE,
}
request_moved = Signal()
DETAILS_MAX = 2000


class RequestWorkflow(Workflow[DataRequest]):
    model = DataRequest
    steps = REQUEST_STEPS
    moved = request_moved

    def lock(self, actor: User, pk: int) -> DataRequest:
        qs = scoped(actor, DataRequest.objects.select_for_update(), action=HANDLE)
        try:
            return qs.get(pk=pk)
        except (DataRequest.DoesNotExist, ValueError, TypeError):
            raise NotInScopeError from None

    def ask_reason(self, obj: DataRequest, to_status: str) -> NoReturn:
        if to_status == S.REFUSED:
            raise ValidationError(_("Give the reason for refusing the request."), code="reason")
        raise ValidationError(_("Write the answer given to the person."), code="reason")

    def record(self, obj, *, actor, step, from_status, to_status, reason, before):
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=obj,
            before=before,
            after=self.snapshot(obj),
            person_id=obj.person_id,
            purpose=f"data request {step.action}",
        )


REQUESTS = RequestWorkflow()


@transaction.atomic
def record_request(
    *,
    actor: User,
    person_id: int,
    kind: str,
    received_on: dt.date | None,
    requested_by_name: str = "",
    details: str = "",
) -> DataRequest:
    """Enter a request a person (or their representative) made, with its 30-day deadline."""
    if not may(actor, HANDLE):
        raise ValidationError(_("Only the data protection officer keeps this register."))
    person = selectors.person_for_request(actor, person_id)
    if kind not in RequestKind.values:
        raise ValidationError(_("Choose the kind of request."), code="kind")
    if received_on is None:
        raise ValidationError(_("Enter the date the request was received."), code="received_on")
    if received_on > timezone.localdate():
        raise ValidationError(_("The date received cannot be in the future."), code="received_on")
    details = (details or "").strip()
    if len(details) > DETAILS_MAX:
        raise ValidationError(
            _("The details are too long (%(n)d characters at most).") % {"n": DETAILS_MAX}
        )
    request = DataRequest.objects.create(
        person=person,
        kind=kind,
        received_on=received_on,
        due_on=answer_due(received_on),
        requested_by_name=(requested_by_name or "").strip()[:200],
        details=details,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=request,
        after=audit.snapshot(request),
        person_id=person.pk,
        purpose="data request received",
    )
    return request


def move_request(
    *, actor: User, request_id: int, to_status: str, version: int | None, text: str = ""
) -> DataRequest:
    """One step of a request; answering or refusing keeps the text given to the person."""
    changes = {}
    if to_status in (S.ANSWERED, S.REFUSED):
        changes = {"answer": (text or "").strip()[:DETAILS_MAX], "answered_at": timezone.now()}
    return REQUESTS.transition(
        actor=actor,
        pk=request_id,
        to_status=to_status,
        version=version,
        reason=text,
        changes=changes,
    )
