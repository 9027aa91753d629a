"""`onehome load_demo`: the demo province (Chiang Rai) with people, the network and logins."""

from django.core.management.base import BaseCommand, CommandError

from onehome.demo.build import DEFAULT_HOUSEHOLDS, ResetBlockedError, build_demo


class Command(BaseCommand):
    help = (
        "Build the demo province (settings.ONEHOME_DEMO_PROVINCE, Chiang Rai): villages, "
        "households and people, organisations and MOUs, and one demo login per role. "
        "Safe to run again; --reset rebuilds the people."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=DEFAULT_HOUSEHOLDS,
            help=f"number of households (default {DEFAULT_HOUSEHOLDS:,}; ≈3 people each)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the province's people, households and villages first and rebuild them "
            "(the audit log is kept)",
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bars")

    def handle(self, *args, households: int, reset: bool, no_progress: bool, **options):
        if households < 1:
            raise CommandError("--households must be at least 1")
        try:
            build_demo(
                households=households,
                reset=reset,
                progress=not no_progress,
                stdout=self.stdout,
            )
        except ResetBlockedError as exc:
            raise CommandError(str(exc)) from exc
