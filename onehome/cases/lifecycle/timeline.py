"""Writing the case timeline. Every service that changes a case adds one event here, in
the same transaction as the change, so the timeline is the case's full story."""

from typing import Any

from onehome.access.models import User
from onehome.cases.models import Case, CaseEvent


def add_event(
    case: Case,
    *,
    kind: str,
    actor: User | None,
    text: str = "",
    data: dict[str, Any] | None = None,
    from_status: str = "",
    to_status: str = "",
) -> CaseEvent:
    """Append one event; the acting agency is the actor's organisation."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        organisation_id=getattr(actor, "organisation_id", None),
        text=text,
        data=data or {},
        from_status=from_status,
        to_status=to_status,
    )
