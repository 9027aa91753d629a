"""Sync: what the phone queued offline, written once each, answered one by one.

A batch holds visits, help requests and edits, each with the id the phone made before its
first try (`client_id`). Each item runs in its own transaction, so one refused item does
not undo the others, and is answered on its own: ``ok`` (written now), ``duplicate``
(written by an earlier try: nothing new), ``conflict`` (an edit partly waiting for review)
or ``refused`` (with a message in the volunteer's language; nothing written). The batch
itself is one audit row naming every item and its answer."""

import uuid
from dataclasses import asdict

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError
from onehome.volunteers.assignments.selectors import household_for_work_or_404
from onehome.volunteers.models import (
    ChangeOutcome,
    HelpRequest,
    OfflineChange,
    Visit,
    Volunteer,
)
from onehome.volunteers.visits import services as visits

from . import visit_batch
from .answers import (
    CONFLICT,
    HELP_REQUEST,
    HOUSEHOLD_EDIT,
    MEMBER_EDIT,
    OK,
    VISIT,
    ItemAnswer,
    duplicate,
    not_assigned,
    owned_elsewhere,
    refused,
)
from .edits import PURPOSE, Edit, apply_edit


def _sync_visit(actor: User, volunteer: Volunteer, item: dict) -> ItemAnswer:
    cid, data = item["client_id"], item["visit"]
    earlier = Visit.objects.filter(client_id=cid).only("id", "volunteer_id").first()
    if earlier is not None:
        if earlier.volunteer_id != volunteer.pk:
            return refused(cid, owned_elsewhere())
        return duplicate(cid, earlier.pk)
    visit = visits.record_visit(
        actor=actor,
        household_id=item["household_id"],
        visited_on=data["visited_on"],
        answers=data.get("answers") or {},
        present_ids=data.get("present_ids") or [],
        needs=data.get("needs") or [],
        notes=data.get("notes", ""),
        client_id=cid,
    )
    return ItemAnswer(str(cid), OK, _("Visit saved."), visit.pk)


def _sync_help_request(actor: User, volunteer: Volunteer, item: dict) -> ItemAnswer:
    cid, data = item["client_id"], item["help_request"]
    earlier = HelpRequest.objects.filter(client_id=cid).only("id", "volunteer_id").first()
    if earlier is not None:
        if earlier.volunteer_id != volunteer.pk:
            return refused(cid, owned_elsewhere())
        return duplicate(cid, earlier.pk)
    visit_id = None
    if data.get("visit_client_id"):
        visit_id = (
            Visit.objects.filter(client_id=data["visit_client_id"], volunteer=volunteer)
            .values_list("id", flat=True)
            .first()
        )
    request = visits.raise_help_request(
        actor=actor,
        household_id=item["household_id"],
        kind=data["kind"],
        summary=data["summary"],
        urgency=data.get("urgency") or "normal",
        amount=data.get("amount"),
        items=data.get("items", ""),
        visit_id=visit_id,
        client_id=cid,
    )
    return ItemAnswer(str(cid), OK, _("Help request sent."), request.pk)


_EDIT_MESSAGES = {
    ChangeOutcome.APPLIED: gettext_lazy("Changes saved."),
    ChangeOutcome.MERGED: gettext_lazy(
        "Changes saved alongside changes made at the centre meanwhile."
    ),
    ChangeOutcome.UNCHANGED: gettext_lazy("Nothing needed changing."),
}


def _sync_edit(actor: User, volunteer: Volunteer, item: dict) -> ItemAnswer:
    cid, data = item["client_id"], item["edit"]
    target = "household" if item["kind"] == HOUSEHOLD_EDIT else "person"
    object_id = item["household_id"] if target == "household" else data.get("object_id")
    outcome = apply_edit(
        actor=actor,
        volunteer=volunteer,
        edit=Edit(
            client_id=cid, household_id=item["household_id"], target=target,
            object_id=object_id, base_version=data["base_version"], base=data["base"],
            mine=data["mine"], made_at=item.get("made_at") or timezone.now(),
        ),
    )  # fmt: skip
    change = outcome.change
    if outcome.duplicate:
        return duplicate(cid, change.pk)
    if outcome.conflicts:
        return ItemAnswer(
            str(cid),
            CONFLICT,
            _("Changed at the centre too: the centre will choose which value to keep."),
            change.pk,
            outcome.conflicts,
        )
    return ItemAnswer(str(cid), OK, str(_EDIT_MESSAGES[change.outcome]), change.pk)


_HANDLERS = {
    VISIT: _sync_visit,
    HELP_REQUEST: _sync_help_request,
    HOUSEHOLD_EDIT: _sync_edit,
    MEMBER_EDIT: _sync_edit,
}


_RECORDS = {
    VISIT: Visit,
    HELP_REQUEST: HelpRequest,
    HOUSEHOLD_EDIT: OfflineChange,
    MEMBER_EDIT: OfflineChange,
}


def sync_item(*, actor: User, volunteer: Volunteer, item: dict) -> ItemAnswer:
    """Write one queued item (see the module docstring); never raises for the user's
    mistakes: they come back as a refused answer. A retry of the volunteer's own item
    already saved is a duplicate before the assignment is checked: the household may have
    been taken from them since, and "nothing was saved" would be untrue."""
    cid = item["client_id"]
    earlier = (
        _RECORDS[item["kind"]]
        .objects.filter(client_id=cid, volunteer=volunteer)
        .values_list("pk", flat=True)
        .first()
    )
    if earlier is not None:
        return duplicate(cid, earlier)
    try:
        household_for_work_or_404(user=actor, pk=item["household_id"])
        with transaction.atomic():
            return _HANDLERS[item["kind"]](actor, volunteer, item)
    except (Http404, NotInScopeError):
        return refused(cid, not_assigned())
    except ValidationError as exc:
        return refused(cid, " ".join(str(m) for m in exc.messages))
    except StaleVersionError:
        return refused(cid, _("The record changed while saving; send again."))
    except IntegrityError:
        # Another try of the same item committed first (two retries racing): it is there.
        return duplicate(cid)


def _runs(items: list[dict | ItemAnswer]) -> list[list[dict | ItemAnswer]]:
    """The batch cut into runs: consecutive visits together, every other item alone."""
    runs: list[list[dict | ItemAnswer]] = []
    for item in items:
        if _is_visit(item) and runs and _is_visit(runs[-1][-1]):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _is_visit(item: dict | ItemAnswer) -> bool:
    return not isinstance(item, ItemAnswer) and item["kind"] == VISIT


def sync_batch(*, actor: User, volunteer: Volunteer, items: list[dict | ItemAnswer]) -> list[dict]:
    """Answer every item in order (an item the API already refused for its shape stays
    refused); one audit row names them all. A run of visits goes through the fast path
    (`visit_batch`), which answers as `sync_item` would, or declines."""
    answers: list[ItemAnswer] = []
    for run in _runs(items):
        together = (
            visit_batch.sync_visits(actor=actor, volunteer=volunteer, items=run)  # type: ignore[arg-type]
            if len(run) > 1
            else None
        )
        answers += together or [
            item
            if isinstance(item, ItemAnswer)
            else sync_item(actor=actor, volunteer=volunteer, item=item)
            for item in run
        ]
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="volunteers.sync",
        object_id=str(uuid.uuid4()),
        after={
            "items": [{"client_id": a.client_id, "status": a.status, "id": a.id} for a in answers]
        },
        purpose=audit.current_purpose(PURPOSE),
        subdistrict_code=volunteer.subdistrict_id,
    )
    return [asdict(a) for a in answers]
