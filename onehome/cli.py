"""The `onehome` console command: Django's manage.py under the project's name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onehome.settings")
    # After the settings module is named: Django reads it on import.
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)
