"""How audit rows about anonymised records are shown (the audit log itself never changes:
it is append-only and hash-chained, so an UPDATE is refused by the database and would break
the chain). A row about an anonymised case or report — the record itself, or one whose
snapshot names such a case (a referral, a service…) — or about a person anonymised on an
erasure request is shown with its snapshots left out
and the record's and the person's numbers replaced by pseudonyms: a keyed hash, the same
for every row about the same record, so an auditor can still follow one record's history
without learning whose it was. See docs/decisions/0014-pdpa-lifecycle.md."""

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from onehome.privacy.models import AnonymisedRecord

CASE = "cases.case"
PERSON = "registry.person"


def pseudonym(kind: str, pk: Any) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}:{pk}".encode(), hashlib.sha256
    ).hexdigest()
    return f"anon-{digest[:12]}"


def _case_of(row: dict) -> str | None:
    for snap in (row.get("after"), row.get("before")):
        if isinstance(snap, dict) and snap.get("case_id") is not None:
            return str(snap["case_id"])
    return None


def mask(rows: Iterable[dict]) -> list[dict]:
    """Serialised audit rows, with those about anonymised records pseudonymised (one query)."""
    rows = list(rows)
    keys = {(r.get("object_type"), str(r.get("object_id"))) for r in rows}
    keys |= {(CASE, c) for r in rows if (c := _case_of(r))}
    keys |= {(PERSON, str(r["person_id"])) for r in rows if r.get("person_id") is not None}
    if not keys:
        return rows
    ids = {k[1] for k in keys}
    done = set(
        AnonymisedRecord.objects.filter(object_id__in=ids).values_list("object_type", "object_id")
    )
    if not done:
        return rows
    for row in rows:
        key = (row.get("object_type"), str(row.get("object_id")))
        case = _case_of(row)
        person = row.get("person_id")
        erased = person is not None and (PERSON, str(person)) in done
        if key in done or erased or (case is not None and (CASE, case) in done):
            row["object_id"] = pseudonym(*key)
            if row.get("person_id") is not None:
                row["person_id"] = pseudonym("registry.person", row["person_id"])
            row["household_id"] = None
            row["before"] = row["after"] = None
            row["anonymised"] = True
    return rows
