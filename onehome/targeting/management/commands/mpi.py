"""``manage.py mpi compute ...``: a thin wrapper over :mod:`onehome.targeting.cli`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onehome.targeting.cli import UsageError, add_subcommands, render, run_compute


class Command(BaseCommand):
    help = "Alkire–Foster multidimensional poverty measures (subcommand: compute)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_subcommands(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # "compute" is the only subcommand; argparse refuses any other.
        try:
            result = run_compute(options)
        except UsageError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(render(result, options["format"]))
