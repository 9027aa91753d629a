"""`onehome cases_escalate`: put one run of the escalation ladder on the task queue (a
worker, `onehome db_worker`, runs it), or run it here and now with ``--now``. A timer calls
it every 5 minutes (docs/operations.md)."""

from django.core.management.base import BaseCommand

from onehome.cases.deadlines import escalation
from onehome.cases.deadlines.tasks import escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue cases and reports one rung up the ladder."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="run in this process instead of enqueuing for a worker",
        )

    def handle(self, *args, now: bool = False, **options):
        if now:
            done = escalation.escalate()
            self.stdout.write(f"escalated {done['cases']} cases, {done['reports']} reports")
        else:
            result = escalate_overdue.enqueue()
            self.stdout.write(f"enqueued {result.id}")
