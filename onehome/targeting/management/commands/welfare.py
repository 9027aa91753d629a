"""``onehome welfare import FILE --as-of DATE``: import a welfare-card list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onehome.targeting.imports.welfare_lists import import_welfare_list
from onehome.targeting.management.commands._reporting import run_import


class Command(BaseCommand):
    help = "Welfare-card lists (subcommand: import). Format: docs/targeting.md."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="validate and import a list; all IDs or none")
        imp.add_argument("file", help="one column national_id, .csv or .parquet")
        imp.add_argument("--as-of", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD")
        imp.add_argument("--name", default="", help="a name for the list")
        imp.add_argument("--report", help="write the row-level error report to this CSV")
        imp.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        welfare_list = run_import(
            lambda progress: import_welfare_list(
                actor=None,
                path=options["file"],
                as_of=options["as_of"],
                name=options["name"],
                progress=progress,
            ),
            options,
            self.stderr,
        )
        self.stdout.write(
            f"welfare-card list {welfare_list.pk}: {welfare_list.name}, "
            f"{welfare_list.count:,} national IDs"
        )
