"""The raw PostgreSQL side of the generator: one psycopg 3 connection, COPY in chunks,
sequences moved past the generated ids."""

from collections.abc import Iterable

import psycopg

# Rows in one COPY write; big enough that the Python side is not the bottleneck.
_FLUSH = 20_000


def connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=False)


def text(value) -> str:
    r"""One field in COPY's text format (None is \N; tabs, newlines, backslashes escaped)."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    s = str(value)
    if "\\" in s or "\t" in s or "\n" in s or "\r" in s:
        s = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return s


def copy_rows(cur: psycopg.Cursor, table: str, columns: list[str], rows: Iterable) -> int:
    """COPY `rows` (tuples in `columns` order) into `table`; returns how many."""
    n = 0
    buf: list[str] = []
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            buf.append("\t".join(map(text, row)))
            n += 1
            if len(buf) >= _FLUSH:
                copy.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            copy.write("\n".join(buf) + "\n")
    return n


def reserve_ids(cur: psycopg.Cursor, table: str, upto: int) -> None:
    """Move the id sequence of `table` past `upto`, so rows the app creates during the
    benchmark never collide with ids the generator will use on a resumed run."""
    cur.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
        f"GREATEST(%s, (SELECT COALESCE(MAX(id), 1) FROM {table})))",
        [upto],
    )


def exists(cur: psycopg.Cursor, sql: str, params: list | None = None) -> bool:
    cur.execute(f"SELECT EXISTS({sql})", params or [])  # noqa: S608
    return bool(cur.fetchone()[0])
