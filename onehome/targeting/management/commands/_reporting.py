"""What the import and run commands share: a tqdm bar fed by progress(stage, fraction),
printing an import's row-level error report (all of it to a CSV file on request), and
running one import with its refusals turned into a ``CommandError``."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, TypeVar

from django.core.management.base import CommandError
from tqdm import tqdm

from onehome.core.exports import safe_row
from onehome.errors import DuplicateError, ValidationError
from onehome.targeting.imports.import_steps import ImportRejected

T = TypeVar("T")

SHOWN_ERRORS = 20


@contextmanager
def progress_bar(label: str, *, enabled: bool = True) -> Iterator[Callable[[str, float], None]]:
    """A 0-100 % bar; the callback moves it to ``fraction`` and shows the stage."""
    bar = tqdm(total=100, desc=label, unit="%", disable=not enabled, bar_format=None)

    def update(stage: str, fraction: float) -> None:
        bar.set_postfix_str(stage)
        target = round(max(0.0, min(1.0, fraction)) * 100)
        if target > bar.n:
            bar.update(target - bar.n)

    try:
        yield update
    finally:
        bar.close()


def write_rejection(error: ImportRejected, out: TextIO, report: str | None) -> None:
    out.write(str(error.message) + "\n")
    for total in error.totals:
        out.write(
            f"  {total.column}: {total.message} — {total.count:,} row(s), first row "
            f"{total.first_row}\n"
        )
    for row in error.errors[:SHOWN_ERRORS]:
        out.write(f"  row {row.row}, {row.column} = {row.value!r}: {row.message}\n")
    if len(error.errors) > SHOWN_ERRORS and not report:
        out.write(f"  ... use --report FILE.csv for the first {len(error.errors)} errors\n")
    if report:
        with Path(report).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "column", "value", "message"])
            # The values are the file's own text: a spreadsheet must show, not run, them.
            writer.writerows(safe_row([e.row, e.column, e.value, e.message]) for e in error.errors)
        out.write(f"  row report written to {report}\n")


def run_import(
    importer: Callable[[Callable[[str, float], None]], T], options: dict[str, Any], err: TextIO
) -> T:
    """Call ``importer(progress)`` under a bar; a refused file prints its report, and every
    user error leaves the command as a ``CommandError`` with its message."""
    try:
        with progress_bar("import", enabled=not options["no_progress"]) as progress:
            return importer(progress)
    except ImportRejected as exc:
        write_rejection(exc, err, options["report"])
        raise CommandError(str(exc.message)) from exc
    except (ValidationError, DuplicateError) as exc:
        raise CommandError(getattr(exc, "message", str(exc))) from exc
