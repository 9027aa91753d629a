"""``onehome survey import FILE --year Y``: import a survey round (CSV or Parquet)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onehome.targeting.imports.survey_rounds import import_survey_round
from onehome.targeting.management.commands._reporting import run_import


class Command(BaseCommand):
    help = "Survey rounds (subcommand: import). Format: docs/targeting.md."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="validate and import a round; all rows or none")
        imp.add_argument("file", help="one row per person, .csv or .parquet")
        imp.add_argument("--year", type=int, required=True, help="survey year (Gregorian)")
        imp.add_argument("--name", default="", help="a name for the round")
        imp.add_argument("--catalogue", default="tpmap_2018", help="indicator catalogue")
        imp.add_argument("--province", help="2-digit code: a provincial round")
        imp.add_argument("--report", help="write the row-level error report to this CSV")
        imp.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        survey_round = run_import(
            lambda progress: import_survey_round(
                actor=None,
                path=options["file"],
                year=options["year"],
                name=options["name"],
                catalogue_name=options["catalogue"],
                province=options["province"],
                progress=progress,
            ),
            options,
            self.stderr,
        )
        self.stdout.write(
            f"survey round {survey_round.pk}: {survey_round.name}, {survey_round.rows:,} people "
            f"in {survey_round.households:,} households"
        )
