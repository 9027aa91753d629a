"""When a help request's report is accepted into a case, a request for cash aid or relief
items becomes the case's service, through the assistance services (`request_service`), so
the usual approval applies: cash aid above the ceiling waits for a supervisor who is not
the requester; below it the staff member who opened the case approves it on their own
authority, as for any service they request.

The receiver runs in the triage's transaction (the state machine sends `report_triaged`
inside it). A service the assistance rules refuse (no relief bags in the centre's stock, a
triager who may not work on the case) must not stop the case from opening for someone in
trouble: it is tried in a savepoint, and a refusal becomes a note on the case's timeline
saying what to request by hand; the help request then has no service yet.
"""

from django.db import transaction
from django.dispatch import receiver

from onehome.cases.assistance.services import request_service
from onehome.cases.intake.triage import report_triaged
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import EventKind, ReportStatus, ServiceKind, StockItem
from onehome.errors import NotInScopeError, ValidationError
from onehome.volunteers.models import HelpKind, HelpRequest
from onehome.volunteers.visits.help import person_needing_help

# The stock item a relief-items request asks for: one relief bag (ถุงยังชีพ) per household;
# the items the volunteer listed go into the service's description.
RELIEF_ITEM_CODE = "RELIEF-BAG"


def _service_for(actor, help_request: HelpRequest, case_id: int):
    recipient = person_needing_help(help_request.household)
    if help_request.kind == HelpKind.CASH_AID:
        return request_service(
            actor=actor,
            case_id=case_id,
            kind=ServiceKind.CASH_AID,
            description=f"คำขอของ อพม. {help_request.report.reference}",
            amount=help_request.amount,
            recipient_id=recipient,
        )
    item = StockItem.objects.filter(code=RELIEF_ITEM_CODE).first()
    return request_service(
        actor=actor,
        case_id=case_id,
        kind=ServiceKind.IN_KIND,
        description=help_request.items[:300],
        item_id=item.pk if item else None,
        quantity=1,
        recipient_id=recipient,
    )


@receiver(report_triaged, dispatch_uid="volunteers.help_request_service")
def help_request_becomes_service(sender, obj, to_status, actor, **kwargs) -> None:
    if to_status != ReportStatus.ACCEPTED or not obj.case_id:
        return
    help_request = (
        HelpRequest.objects.select_related("household", "report")
        .filter(report=obj, service__isnull=True)
        .exclude(kind=HelpKind.HELP)
        .first()
    )
    if help_request is None:
        return
    try:
        with transaction.atomic():
            service = _service_for(actor, help_request, obj.case_id)
    except (ValidationError, NotInScopeError) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else ""
        add_event(
            obj.case,
            kind=EventKind.NOTE,
            actor=actor,
            text=(
                f"คำขอของ อพม. ({help_request.get_kind_display()}) ยังไม่ได้เป็นบริการ: "
                f"{reason} — ขอบริการนี้ในเคสด้วยตนเอง"
            ),
            data={"help_request": help_request.pk},
        )
        return
    help_request.service = service
    help_request.save(update_fields=["service"])
