"""``manage.py mpi compute ...``: a thin wrapper over :mod:`onehome.targeting.cli`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onehome.targeting.cli import UsageError, add_compute_arguments, render, run_compute


class Command(BaseCommand):
    help = "Alkire–Foster multidimensional poverty measures (subcommand: compute)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        add_compute_arguments(sub.add_parser("compute", help="compute H, A, M0 (M1, M2) ..."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "compute":  # argparse already refuses others
            raise CommandError(f"unknown subcommand {options['subcommand']!r}")
        try:
            result = run_compute(options)
        except UsageError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(render(result, options["format"]))
