"""Idempotent intake: a request retried with the same key (the API's `Idempotency-Key`, the
intake pages' hidden field) gets the report its first attempt saved, and a key sent again
with a different report is refused, saving nothing.

"The same request" is decided on what a report keeps of the request that made it
(:func:`request_form`: every field as `create_report` normalised and stored it, and its
people). A retry is normalised the same way before it is compared, so a resend that differs
only in what the first was normalised to (spaces around a name, a risk listed twice) is
the same request. Triage never changes these fields, so the comparison holds for the
report's whole life.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.cases.models import Party, Report
from onehome.errors import RequestKeyReusedError

# What a report keeps of its request, besides when it happened, whether it was closed at
# once, and its people.
REQUEST_FIELDS = (
    "channel",
    "call_type",
    "subdistrict_id",
    "village_id",
    "address",
    "category",
    "subcategory",
    "risks",
    "urgency",
    "summary",
    "reporter_anonymous",
    "reporter_name",
    "reporter_phone",
    "reporter_relation",
)
PARTY_FIELDS = ("role", "person_id", "name", "sex", "age", "description")


@dataclass(frozen=True)
class TakenReport:
    """What an intake request did: the report, and whether this request created it (a
    replay did not)."""

    report: Report
    created: bool


_KEY_SQL = (
    f"SELECT id, created_by_id FROM {Report._meta.db_table} "  # noqa: S608 - the model's table
    "WHERE idempotency_key = %s"
)


def first_with_key(key: str, actor: User | None) -> Report | None:
    """The report first saved with this key (None if there is none); a key another user
    saved a report with is refused. Fixed SQL for the look-up every keyed request makes;
    the whole report is read only for a replay."""
    with connection.cursor() as cursor:
        cursor.execute(_KEY_SQL, [key])
        found = cursor.fetchone()
    if found is None:
        return None
    if found[1] != getattr(actor, "pk", None):
        raise RequestKeyReusedError(_("This request key was already used for another report."))
    return Report.objects.get(pk=found[0])


def request_form(report: Report, parties: Sequence[Party]) -> dict[str, Any]:
    """What ``report`` (saved, or built and not yet saved) keeps of its request."""
    form: dict[str, Any] = {name: getattr(report, name) for name in REQUEST_FIELDS}
    occurred = report.occurred_at
    form["occurred_at"] = occurred.astimezone(dt.UTC).isoformat() if occurred else None
    # `create_report` closes a report at once at the very time it receives it.
    form["closed_at_once"] = report.closed_at is not None and report.closed_at == report.received_at
    form["parties"] = [[getattr(p, name) for name in PARTY_FIELDS] for p in parties]
    return form


def request_fingerprint(form: dict[str, Any]) -> str:
    """A SHA-256 of the canonical JSON of a :func:`request_form`."""
    text = json.dumps(form, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def replay(first: Report, *, report: Report, parties: Sequence[Party]) -> TakenReport:
    """The first report again when ``report`` (built from the retry, not saved) is the same
    request; otherwise refuse the key."""
    stored = request_fingerprint(request_form(first, list(first.parties.order_by("pk"))))
    if stored != request_fingerprint(request_form(report, parties)):
        raise RequestKeyReusedError(
            _(
                "This request key was already used for a different report, so nothing was "
                "saved. Send a new report with a new key."
            )
        )
    return TakenReport(report=first, created=False)
