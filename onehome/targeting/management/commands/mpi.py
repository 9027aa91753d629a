"""``manage.py mpi compute ...`` (a thin wrapper over :mod:`onehome.targeting.cli`) and
``mpi run --round ID``: a full targeting run of an imported survey round."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onehome.errors import ValidationError
from onehome.targeting.cli import UsageError, add_compute_arguments, render, run_compute
from onehome.targeting.management.commands._reporting import progress_bar
from onehome.targeting.models import RunStatus, SurveyRound, WelfareCardList
from onehome.targeting.runs.execution import execute_run
from onehome.targeting.runs.services import start_run


class Command(BaseCommand):
    help = "Alkire–Foster multidimensional poverty measures (subcommands: compute, run)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        add_compute_arguments(sub.add_parser("compute", help="compute H, A, M0 (M1, M2) ..."))
        run = sub.add_parser("run", help="full TPMAP run of an imported survey round")
        run.add_argument("--round", type=int, required=True, help="survey round id")
        run.add_argument("--welfare", type=int, help="welfare-card list id (target poor)")
        run.add_argument("--catalogue", default="", help="default: the round's catalogue")
        run.add_argument("--k", default="", help="poverty cutoff in (0, 1] or 'union'")
        run.add_argument(
            "--background",
            action="store_true",
            help="queue the run for the task worker (onehome db_worker) instead",
        )
        run.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "run":
            self.handle_run(options)
            return
        try:
            result = run_compute(options)
        except UsageError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(render(result, options["format"]))

    def handle_run(self, options: dict[str, Any]) -> None:
        survey_round = SurveyRound.objects.filter(pk=options["round"]).first()
        if survey_round is None:
            raise CommandError(f"no survey round {options['round']}")
        welfare_list = None
        if options["welfare"] is not None:
            welfare_list = WelfareCardList.objects.filter(pk=options["welfare"]).first()
            if welfare_list is None:
                raise CommandError(f"no welfare-card list {options['welfare']}")
        try:
            run = start_run(
                actor=None,
                survey_round=survey_round,
                welfare_list=welfare_list,
                spec_name=options["catalogue"],
                k=options["k"],
                background=options["background"],
            )
        except ValidationError as exc:
            raise CommandError(exc.message) from exc
        if options["background"]:
            self.stdout.write(f"run {run.pk} queued; `onehome db_worker` runs it")
            return
        with progress_bar(f"run {run.pk}", enabled=not options["no_progress"]) as progress:
            run = execute_run(run_id=run.pk, progress=progress)
        if run.status != RunStatus.DONE:
            raise CommandError(f"run {run.pk} failed: {run.error}")
        s = run.summary
        self.stdout.write(
            f"run {run.pk} done: n={s.get('n'):,} q={s.get('q'):,} H={s.get('H') or 0:.4f} "
            f"A={s.get('A') or 0:.4f} M0={s.get('M0') or 0:.4f} "
            f"target poor={s.get('target_poor', 0):,}; results in {run.result_path}"
        )
