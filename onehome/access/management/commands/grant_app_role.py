"""`onehome grant_app_role <role>`: give the app's PostgreSQL role its privileges in this
database (run as the tables' owner, after every `migrate`). `--sql` prints the statements
instead; `--create` makes the role first if it does not exist."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from onehome.access import app_role


class Command(BaseCommand):
    help = "Grant the app's PostgreSQL role its privileges: all but UPDATE/DELETE of audit rows."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the app connects as, e.g. onehome_app")
        parser.add_argument("--sql", action="store_true", help="print the SQL, run nothing")
        parser.add_argument("--create", action="store_true", help="create the role if missing")

    def handle(self, *args, role: str, sql: bool, create: bool, **options):
        if sql:
            quote = '"{}"'.format
            for statement in app_role.grant_sql(role, quote):
                self.stdout.write(f"{statement};")
            return
        if connection.vendor != "postgresql":
            raise CommandError("roles are PostgreSQL's: with SQLite there is nothing to grant")
        with transaction.atomic():
            if create:
                with connection.cursor() as cursor:
                    if app_role.create_role(cursor, role, connection.ops.quote_name):
                        self.stdout.write(f"created role {role} (LOGIN; set its password)")
            problems = app_role.grant(connection, role)
        if problems:
            raise CommandError(
                f"{role} could get round the audit log's triggers: " + "; ".join(problems)
            )
        self.stdout.write(f"{role}: all tables but UPDATE/DELETE on {app_role.AUDIT_TABLE}.")
