# ruff: noqa: S608 - SQL text here is built from constants and catalogue column names
# (checked to be plain identifiers); values from the file are never part of it.
"""What survey and welfare-card imports share: opening a CSV/Parquet file in DuckDB with
row numbers, Thai-ID checks in SQL, the row-level error report, atomic file writes and
their registration.

Validation runs as a few whole-file SQL passes (count the failures of every check in one
scan, then fetch a sample of the failing rows only when there are any), never as a Python
loop over rows: a national round has 36.6 million of them.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.errors import DuplicateError, ValidationError
from onehome.targeting.engine.parquet_files import PARQUET_COPY_OPTIONS, write_whole

Progress = Callable[[str, float], None]
M = TypeVar("M", bound=Model)
MAX_REPORTED_ERRORS = 1000
SUFFIXES = (".csv", ".parquet")
# Column types a Parquet file may use for each kind of column; anything else (dates,
# lists, blobs...) is refused with one message for the column, not one per row.
_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT")
_INTEGER_TYPES += ("UINTEGER", "UBIGINT")
_NUMBER_TYPES = (*_INTEGER_TYPES, "FLOAT", "DOUBLE", "DECIMAL")
PARQUET_TYPES = {
    "text": ("VARCHAR", *_INTEGER_TYPES),
    "integer": ("VARCHAR", *_NUMBER_TYPES),
    "number": ("VARCHAR", *_NUMBER_TYPES),
    "boolean": ("VARCHAR", "BOOLEAN", *_INTEGER_TYPES),
}


@dataclass(frozen=True)
class RowError:
    """One problem in one cell: ``row`` is the 1-based record number, header not counted."""

    row: int
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class ErrorTotal:
    """How many rows fail one check, and the first of them."""

    column: str
    message: str
    count: int
    first_row: int


class ImportRejected(ValidationError):
    """The file was not loaded. ``errors`` holds up to MAX_REPORTED_ERRORS row errors
    (sorted by row), ``totals`` every failing check with its count."""

    def __init__(self, message: str, *, errors: Sequence[RowError], totals: Sequence[ErrorTotal]):
        super().__init__(message, code="import_rejected")
        self.errors = list(errors)
        self.totals = list(totals)
        self.error_count = sum(t.count for t in totals)


@dataclass(frozen=True)
class Check:
    """A row check: rows where ``condition`` (SQL over the staged view) holds fail it."""

    column: str
    code: str
    condition: str
    value: str  # SQL expression shown as the offending value


def file_error(message: str) -> ValidationError:
    return ValidationError(message, code="unreadable_file")


def data_dir() -> Path:
    path = Path(settings.ONEHOME_DATA_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def workspace() -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """A DuckDB database in a scratch directory of the data dir (so a national CSV can
    spill to disk), removed afterwards whatever happens."""
    scratch = Path(tempfile.mkdtemp(prefix=".import-", dir=data_dir()))
    con = duckdb.connect(str(scratch / "work.duckdb"))
    try:
        con.execute(f"SET temp_directory = '{scratch / 'spill'}'")
        con.execute("SET preserve_insertion_order = true")
        # Bounded, so a national round spills to the scratch directory instead of taking
        # the machine's memory from the web workers.
        con.execute(f"SET memory_limit = '{settings.ONEHOME_IMPORT_MEMORY}'")
        yield con, scratch
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_source(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    """Expose the file as view ``src`` with a 1-based record number ``_row``.

    CSV is read with every column as text, so a bad cell becomes a row error rather than a
    failed read, and is copied into a table first: a table's rowid is the file order.
    Returns {column: DuckDB type} of the file's columns.
    """
    if not path.exists():
        raise file_error(_("File not found: %(path)s") % {"path": path.name})
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise file_error(
            _("The file must be .csv or .parquet, not %(name)s.") % {"name": path.name}
        )
    literal = str(path).replace("'", "''")
    try:
        if suffix == ".csv":
            con.execute(
                "CREATE TABLE raw AS SELECT * FROM read_csv("
                f"'{literal}', header = true, all_varchar = true, auto_detect = true)"
            )
            con.execute("CREATE VIEW src AS SELECT rowid + 1 AS _row, * FROM raw")
        else:
            con.execute(
                "CREATE VIEW src AS SELECT * EXCLUDE (file_row_number), file_row_number + 1 "
                f"AS _row FROM read_parquet('{literal}', file_row_number = true)"
            )
        described = con.execute("DESCRIBE src").fetchall()
    except duckdb.Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise file_error(
            _("The file %(name)s cannot be read as %(kind)s: %(detail)s")
            % {"name": path.name, "kind": suffix[1:].upper(), "detail": first_line[:300]}
        ) from exc
    return {name: str(kind).upper() for name, kind, *_rest in described if name != "_row"}


def check_columns(types: dict[str, str], kinds: dict[str, str], *, parquet: bool) -> None:
    """Refuse, with one message, a file that lacks columns or has columns of a wrong type."""
    missing = [column for column in kinds if column not in types]
    if missing:
        raise file_error(
            _("Missing columns: %(missing)s. The file has: %(found)s.")
            % {"missing": ", ".join(missing), "found": ", ".join(types) or "-"}
        )
    if not parquet:
        return
    wrong = [
        f"{column} ({types[column]})"
        for column, kind in kinds.items()
        if not types[column].startswith(PARQUET_TYPES[kind])
    ]
    if wrong:
        raise file_error(
            _("Columns of the wrong type: %(wrong)s. Use text, numbers or booleans as documented.")
            % {"wrong": ", ".join(wrong)}
        )


def text(column: str) -> str:
    """SQL: the trimmed text of a column, NULL when empty (every check starts from this)."""
    return f"NULLIF(TRIM(CAST(\"{column}\" AS VARCHAR)), '')"


def thai_id_valid(expr: str) -> str:
    """SQL: whether ``expr`` (13 digits) passes stdnum.th.pin: first digit not 0 or 9 and
    the mod-11 check digit (weights 13..2; the tests compare this with stdnum itself)."""
    weighted = " + ".join(
        f"{13 - i} * CAST(substr({expr}, {i + 1}, 1) AS INTEGER)" for i in range(12)
    )
    # CASE, not AND: SQL does not promise to skip the casts when the pattern fails.
    return (
        f"(CASE WHEN regexp_full_match({expr}, '[1-8][0-9]{{12}}') THEN "
        f"CAST(substr({expr}, 13, 1) AS INTEGER) = (11 - ({weighted}) % 11) % 10 ELSE false END)"
    )


def run_checks(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    checks: Sequence[Check],
    messages: dict[str, str],
) -> tuple[list[RowError], list[ErrorTotal]]:
    """Count every check's failures in one scan; fetch failing rows only if there are any."""
    if not checks:
        return [], []
    aggregates = ", ".join(
        f"count(*) FILTER (WHERE {c.condition}), min(_row) FILTER (WHERE {c.condition})"
        for c in checks
    )
    counts = con.execute(f"SELECT {aggregates} FROM {relation}").fetchone() or ()
    failing = [
        (check, int(counts[2 * i]), int(counts[2 * i + 1] or 0))
        for i, check in enumerate(checks)
        if counts[2 * i]
    ]
    if not failing:
        return [], []
    totals = [ErrorTotal(c.column, messages[c.code], n, first) for c, n, first in failing]
    union = " UNION ALL ".join(
        f"(SELECT _row, {i} AS check_no, CAST({c.value} AS VARCHAR) AS value FROM {relation} "
        f"WHERE {c.condition} ORDER BY _row LIMIT {MAX_REPORTED_ERRORS})"
        for i, (c, _n, _first) in enumerate(failing)
    )
    rows = con.execute(
        f"SELECT _row, check_no, value FROM ({union}) ORDER BY _row, check_no "
        f"LIMIT {MAX_REPORTED_ERRORS}"
    ).fetchall()
    errors = [
        RowError(
            int(row),
            failing[no][0].column,
            "" if value is None else str(value)[:100],
            messages[failing[no][0].code],
        )
        for row, no, value in rows
    ]
    return errors, totals


def merge_reports(
    *reports: tuple[list[RowError], list[ErrorTotal]],
) -> tuple[list[RowError], list[ErrorTotal]]:
    errors = sorted((e for r in reports for e in r[0]), key=lambda e: (e.row, e.column))
    totals = [t for r in reports for t in r[1]]
    return errors[:MAX_REPORTED_ERRORS], totals


def reject_if_any(errors: list[RowError], totals: list[ErrorTotal], *, name: str) -> None:
    if totals:
        count = sum(t.count for t in totals)
        raise ImportRejected(
            _("%(name)s was not imported: %(count)s problem(s) found; nothing was loaded.")
            % {"name": name, "count": f"{count:,}"},
            errors=errors,
            totals=totals,
        )


def write_parquet(con: duckdb.DuckDBPyConnection, select_sql: str, relative: str) -> Path:
    """Write the query's rows to ``relative`` under the data dir (``write_whole``)."""
    target = data_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)

    def copy(partial: Path) -> None:
        literal = str(partial).replace("'", "''")
        con.execute(f"COPY ({select_sql}) TO '{literal}' ({PARQUET_COPY_OPTIONS})")

    return write_whole(target, copy)


def unseen_checksum(path: Path, model: type[Model], already: Callable[[Any], str]) -> str:
    """The file's SHA-256, refusing (DuplicateError, message ``already(existing)``) a file
    that ``model`` already holds: the same bytes are never imported twice."""
    checksum = sha256(path) if path.exists() else ""
    existing = model._default_manager.filter(checksum=checksum).first() if checksum else None
    if existing is not None:
        raise DuplicateError(already(existing), existing=existing)
    return checksum


def register_written(
    written: Path,
    model: type[M],
    *,
    actor: User | None,
    purpose: str,
    progress: Progress | None,
    companions: Sequence[Path] = (),
    **fields: Any,
) -> M:
    """Register a written file as a new ``model`` row (audited); when registering fails the
    file and its ``companions`` are removed, so no data file is ever left on disk without
    the row that names it."""
    report(progress, "registering", 0.95)
    try:
        registered = _create_audited(model, actor=actor, purpose=purpose, **fields)
    except Exception:
        for path in (written, *companions):
            path.unlink(missing_ok=True)
        raise
    report(progress, "done", 1.0)
    return registered


@transaction.atomic
def _create_audited(model: type[M], *, actor: User | None, purpose: str, **fields: Any) -> M:
    registered = model._default_manager.create(imported_by=actor, **fields)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=registered,
        after=audit.snapshot(registered),
        purpose=purpose,
    )
    return registered


def report(progress: Progress | None, stage: str, fraction: float) -> None:
    if progress is not None:
        progress(stage, fraction)
