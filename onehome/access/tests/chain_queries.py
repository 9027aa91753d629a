"""The statements the audit log's hash chain costs each audit row (`access.audit_chain.seal`,
decision 0010), so that a test that counts a request's queries allows exactly those and
counts the rest as before.

Per row, in order: the read of a chain's newest hash ("head"), then the row's INSERT
("insert"). On PostgreSQL the head is one call of `audit_chain.HEAD_FUNCTION`, which takes
a free chain's advisory lock and then reads that chain's head; SQLite has one chain and no
lock. The rule written out in two statements (`head_in_two_statements`: a "lock", then a
"head") is recognised too, so that a test counting statements names what it sees."""

import re

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
    if f"{audit_chain.HEAD_FUNCTION_NAME}(" in text:  # the call of the head function
        return "head"
    if "advisory_xact_lock(" in text and str(audit_chain.LOCK_KEY) in text:
        return "lock"
    if _HEAD.fullmatch(text):
        return "head"
    if text.upper().startswith(_INSERT.upper()):
        return "insert"
    return None


def per_row(rows: int = 1) -> list[str]:
    """The chain's statements for `rows` audit rows written (either database)."""
    return ["head", "insert"] * rows


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
