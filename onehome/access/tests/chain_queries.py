"""The statements the audit log's hash chain costs each audit row (`access.audit_chain.seal`,
decision 0010), so that a test that counts a request's queries allows exactly those and
counts the rest as before.

Per row, in order: on PostgreSQL the advisory lock that picks a free chain ("lock"), then
the read of that chain's newest hash ("head"), then the row's INSERT ("insert"); SQLite
has one chain and no lock. A test's single connection always finds a free chain, so the
lock is one statement (the wait for a taken chain's lock is a second one: not expected
here, and counted as a lock that should not be there)."""

import re

from django.db import connection

from onehome.access import audit_chain
from onehome.access.models import AuditEvent

TABLE = AuditEvent._meta.db_table
_HEAD = re.compile(
    rf"SELECT hash FROM {TABLE} WHERE chain = \d+ ORDER BY id DESC LIMIT 1",  # noqa: S608 (a pattern)
    re.IGNORECASE,
)
_INSERT = f'INSERT INTO "{TABLE}"'


def kind(sql: str) -> str | None:
    """Which of the chain's statements `sql` is ("lock", "head", "insert"), or None."""
    text = " ".join(sql.split())
    if "advisory_xact_lock(" in text and str(audit_chain.LOCK_KEY) in text:
        return "lock"
    if _HEAD.fullmatch(text):
        return "head"
    if text.upper().startswith(_INSERT.upper()):
        return "insert"
    return None


def per_row(rows: int = 1) -> list[str]:
    """The chain's statements for `rows` audit rows written on this database."""
    one = ["lock", "head", "insert"] if connection.vendor == "postgresql" else ["head", "insert"]
    return one * rows


def split(captured_queries: list[dict]) -> tuple[list[str], list[str]]:
    """The chain's statements (their kinds, in order) and every other statement's SQL."""
    chain, others = [], []
    for query in captured_queries:
        found = kind(query["sql"])
        if found:
            chain.append(found)
        else:
            others.append(query["sql"])
    return chain, others
