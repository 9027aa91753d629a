"""The answers of a sync, item by item, and the kinds of item a phone queues (the module
docstring of `services` says what each answer means)."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

OK, DUPLICATE, CONFLICT, REFUSED = "ok", "duplicate", "conflict", "refused"
VISIT, HELP_REQUEST, HOUSEHOLD_EDIT, MEMBER_EDIT = (
    "visit",
    "help_request",
    "household_edit",
    "member_edit",
)
KINDS = (VISIT, HELP_REQUEST, HOUSEHOLD_EDIT, MEMBER_EDIT)


@dataclass
class ItemAnswer:
    client_id: str
    status: str
    message: str
    id: int | None = None
    conflicts: list[str] = field(default_factory=list)


def refused(client_id: Any, message: str) -> ItemAnswer:
    return ItemAnswer(str(client_id), REFUSED, message)


def duplicate(client_id: Any, pk: int | None = None) -> ItemAnswer:
    """An item written by an earlier try: nothing new."""
    return ItemAnswer(str(client_id), DUPLICATE, _("Already received."), pk)


def not_assigned() -> str:
    return _("This household is no longer assigned to you; nothing was saved.")


def owned_elsewhere() -> str:
    return _("This item's id belongs to another record; nothing was saved.")
