"""`onehome privacy_retention`: put one run of the retention schedule on the task queue (a
worker runs it), or run it here and now with ``--now`` (with a progress bar on a terminal).
A nightly timer calls it (docs/operations.md, "Personal data (PDPA)")."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from onehome.privacy.retention import anonymise
from onehome.privacy.retention.tasks import anonymise_expired


class Command(BaseCommand):
    help = "Anonymise closed cases and reports past their retention (settings)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="run in this process instead of enqueuing"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar (shown on a tty)"
        )

    def handle(self, *args, now: bool = False, no_progress: bool = False, **options):
        if not now:
            result = anonymise_expired.enqueue()
            self.stdout.write(f"enqueued {result.id}")
            return
        show = not no_progress and sys.stderr.isatty()
        with tqdm(total=anonymise.pending(), disable=not show, unit="record") as bar:
            done = anonymise.run(tick=bar.update)
        self.stdout.write(f"anonymised {done.cases} cases, {done.reports} reports")
