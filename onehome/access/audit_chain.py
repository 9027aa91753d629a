"""The audit log's hash chain (issue 14, point 4; decision 0010).

Every audit row belongs to one of `CHAINS` chains (its `chain` column) and stores
`prev_hash`, the `hash` of the row before it in its chain (the row of that chain with the
next lower id; `GENESIS` for a chain's first row), and its own `hash`:

    hash = sha256(prev_hash + "\\n" + canonical(content))

where the content is the row's `CHAINED_FIELDS` (everything but the id, the chain and the
two hashes) serialised as sorted-key JSON in a form that survives the database's round trip
(numbers written as normalised decimals, since PostgreSQL's jsonb gives 1e+300 back as an
integer; keys as JSON makes them strings). A changed row no longer matches its hash; a
deleted or inserted row breaks the next row's link. `check` walks each chain in id order
and names the first row that does not hold.

Writers never race for a chain's head: `seal` runs in the transaction that inserts the
row, after taking a transaction-level advisory lock on one chain (released at commit, so
the next writer of that chain reads this row as its head). Why several chains: the lock is
held until commit, and one chain made every audited request in the deployment wait for the
one before it to commit (bench/audit_chain.py: 115-189 rows/s from 8 threads against
~1,000 without the chain; docs/performance.md). A writer takes the first free chain from
its own (`pg_backend_pid() mod CHAINS`) on; only if all are taken does it wait for its own.
SQLite lets one writer at a time hold its write lock (`transaction_mode` IMMEDIATE): one
chain, 0. Ids are assigned under the chain's lock, so a chain's id order is its order.

This module knows the model only through `_meta`, so that migrations can use it on their
historical model.
"""

import datetime as dt
import decimal
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

# The chained content. Adding a column to the audit log does not add it here: that would
# change the hash of every existing row (a new chain version would be a decision).
CHAINED_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "household_id",
    "subdistrict_code",
    "before",
    "after",
    "purpose",
    "channel",
    "ip",
)

# How many chains PostgreSQL writers spread over (more than the app's concurrent writers).
CHAINS = 16
# pg_advisory_xact_lock(LOCK_KEY, chain) guards a chain's head (LOCK_KEY: b"oha").
LOCK_KEY = int.from_bytes(b"oha", "big")

_FREE_CHAIN = """
    SELECT c FROM (
        SELECT mod(pg_backend_pid() + g, %(chains)s::int) AS c
        FROM generate_series(0, %(chains)s::int - 1) AS g
    ) AS candidates
    WHERE pg_try_advisory_xact_lock(%(key)s::int, c)
    LIMIT 1
"""

_EXACT = decimal.Context(prec=5000)
# Python writes a float from 1e16 up with an exponent ("1e+16"); jsonb gives that back as
# an integer. So integers from there up are spelt like the float they may have been.
_EXPONENT_FROM = 10**16
_string = json.encoder.encode_basestring  # JSON string, non-ASCII kept (C implementation)


def _number(value: int | float) -> str:
    """A number as jsonb would give it back: the same decimal value, one spelling."""
    if isinstance(value, float) and value != value:  # NaN (SQLite's JSON keeps it)
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return repr(value)
    exact = decimal.Decimal(repr(value)) if isinstance(value, float) else decimal.Decimal(value)
    if exact == 0:
        return "0"
    return str(_EXACT.normalize(exact))


def _dump(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return str(value) if -_EXPONENT_FROM < value < _EXPONENT_FROM else _number(value)
    if kind is list:
        return "[" + ",".join(map(_dump, value)) + "]"
    if kind is dict:
        items = sorted(value.items())
        return "{" + ",".join(f"{_string(str(k))}:{_dump(v)}" for k, v in items) + "}"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is float:
        return _number(value)
    if isinstance(value, str):  # a TextChoices member
        return _string(str(value))
    if isinstance(value, int | float):
        return _dump(int(value) if isinstance(value, int) else float(value))
    raise TypeError(f"cannot chain a {kind.__name__}")


def _as_stored_json(value: Any) -> Any:
    """What the JSON column gives back: tuples become lists, keys strings."""
    return None if value is None else json.loads(json.dumps(value))


def canonical(values: dict[str, Any]) -> str:
    """The chained content of one row, from its field values (as read, or about to be saved)."""
    content: dict[str, Any] = {}
    for name in CHAINED_FIELDS:
        value = values[name]
        if name == "at":
            value = value.astimezone(dt.UTC).isoformat()
        elif name in ("before", "after"):
            value = _as_stored_json(value)
        elif name == "ip" and value is not None:
            value = str(value)
        content[name] = value
    return _dump(content)


def chained_hash(prev_hash: str, values: dict[str, Any]) -> str:
    data = f"{prev_hash}\n{canonical(values)}".encode()
    return hashlib.sha256(data).hexdigest()


def prepared(model, values: dict[str, Any]) -> dict[str, Any]:
    """`values` as the database stores them (an IPv6 address compressed, an id an int...)."""
    return {field.name: field.get_prep_value(values[field.name]) for field in _fields(model)}


@functools.cache
def _fields(model) -> tuple:
    return tuple(model._meta.get_field(name) for name in CHAINED_FIELDS)


def _take_chain(cursor, vendor: str) -> int:
    """Lock a chain for this transaction; its number."""
    if vendor != "postgresql":
        return 0
    cursor.execute(_FREE_CHAIN, {"chains": CHAINS, "key": LOCK_KEY})
    free = cursor.fetchone()
    if free is not None:
        return free[0]
    cursor.execute(
        "SELECT mod(pg_backend_pid(), %s::int), pg_advisory_xact_lock(%s::int, "
        "mod(pg_backend_pid(), %s::int))",
        [CHAINS, LOCK_KEY, CHAINS],
    )
    return cursor.fetchone()[0]


def head(connection, table: str) -> tuple[int, str]:
    """A chain this transaction may add to, and the hash of its newest row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and table == TABLE:
            # `head_in_two_statements` in one round trip (`HEAD_FUNCTION`).
            cursor.execute("SELECT * FROM access_auditevent_chain_head(%s, %s)", [CHAINS, LOCK_KEY])
            chain, last = cursor.fetchone()
            return chain, last or GENESIS
        return head_in_two_statements(cursor, connection.vendor, table)


def head_in_two_statements(cursor, vendor: str, table: str) -> tuple[int, str]:
    """The rule `head` follows: lock a chain, then, in a statement of its own (its snapshot
    taken after the lock was granted, so it sees the row of the writer before), read the
    hash of that chain's newest row."""
    chain = _take_chain(cursor, vendor)
    cursor.execute(
        f"SELECT hash FROM {table} WHERE chain = %s ORDER BY id DESC LIMIT 1",  # noqa: S608
        [chain],
    )
    row = cursor.fetchone()
    return chain, (row[0] if row else GENESIS)


# `head_in_two_statements` as one PL/pgSQL function (migration access/0007): each
# statement of a volatile function takes its own snapshot, so the head is read after the
# lock, as there. One round trip instead of two, on every audited request; a test checks
# the two pick the same chain and head.
TABLE = "access_auditevent"
HEAD_FUNCTION_NAME = "access_auditevent_chain_head"
HEAD_FUNCTION = """
CREATE OR REPLACE FUNCTION access_auditevent_chain_head(chains int, lock_key int)
RETURNS TABLE (out_chain int, out_hash text) AS $$
DECLARE
    picked int;
BEGIN
    SELECT candidates.c INTO picked FROM (
        SELECT mod(pg_backend_pid() + g, chains) AS c FROM generate_series(0, chains - 1) AS g
    ) AS candidates
    WHERE pg_try_advisory_xact_lock(lock_key, candidates.c)
    LIMIT 1;
    IF picked IS NULL THEN
        picked := mod(pg_backend_pid(), chains);
        PERFORM pg_advisory_xact_lock(lock_key, picked);
    END IF;
    RETURN QUERY SELECT picked, (
        SELECT e.hash::text FROM access_auditevent AS e
        WHERE e.chain = picked ORDER BY e.id DESC LIMIT 1
    );
END
$$ LANGUAGE plpgsql VOLATILE
"""


def seal(event, connection) -> None:
    """Set `event`'s chain, prev_hash and hash. Call inside the transaction that inserts it."""
    seal_all([event], connection)


def seal_all(events: list, connection) -> None:
    """`seal` for rows inserted together, in this order (ids ascending): one head read, each
    row linked to the one before it. Call inside the transaction that inserts them."""
    if not events:
        return
    model = type(events[0])
    chain, prev_hash = head(connection, model._meta.db_table)
    for event in events:
        event.chain, event.prev_hash = chain, prev_hash
        values = {name: getattr(event, name) for name in CHAINED_FIELDS}
        event.hash = prev_hash = chained_hash(prev_hash, prepared(model, values))


@dataclass(frozen=True)
class Break:
    """The first row that does not hold, and what is wrong with it."""

    row_id: int
    problem: str
    chain: int = 0


@dataclass(frozen=True)
class Result:
    rows: int
    heads: dict[int, tuple[int, str]]  # each chain's last row: its id and hash
    broken: Break | None


def check(model, rows: Iterable[dict[str, Any]], starts: dict[int, str] | None = None) -> Result:
    """Walk `rows` (dicts with id, chain, prev_hash, hash and the chained fields, each chain
    in id order); a chain's first row links to GENESIS, or to its hash in `starts` once old
    rows have been archived. The first row that does not hold is the one with the lowest id."""
    starts = starts or {}
    heads: dict[int, str] = {}
    previous: dict[int, int] = {}
    broken: list[Break] = []
    count = 0
    for row in rows:
        chain = row["chain"]
        if any(b.chain == chain for b in broken):
            continue
        count += 1
        expected = heads.get(chain, starts.get(chain, GENESIS))
        if row["prev_hash"] != expected:
            where = f"row {previous[chain]}" if chain in previous else "the start of the chain"
            broken.append(
                Break(
                    row["id"],
                    f"its link does not match {where} (chain {chain}): a row between them "
                    f"was deleted or inserted, or {where} was changed "
                    f"(link {row['prev_hash'][:12] or '(none)'}…, expected {expected[:12]}…)",
                    chain,
                )
            )
            continue
        computed = chained_hash(row["prev_hash"], prepared(model, row))
        if row["hash"] != computed:
            broken.append(
                Break(
                    row["id"],
                    f"its content was changed: it no longer matches its hash "
                    f"(stored {row['hash'][:12] or '(none)'}…, computed {computed[:12]}…)",
                    chain,
                )
            )
            continue
        heads[chain], previous[chain] = row["hash"], row["id"]
    first = min(broken, key=lambda b: b.row_id) if broken else None
    return Result(count, {c: (previous[c], heads[c]) for c in heads}, first)


def rows_in_order(queryset, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """Every row of the audit log, chain by chain in id order, read in pages by id."""
    fields = ("id", "chain", "prev_hash", "hash", *CHAINED_FIELDS)
    chains = sorted(set(queryset.order_by().values_list("chain", flat=True).distinct()))
    for chain in chains:
        after = 0
        while True:
            page = list(
                queryset.filter(chain=chain, id__gt=after).order_by("id").values(*fields)[:chunk]
            )
            if not page:
                break
            yield from page
            after = page[-1]["id"]
