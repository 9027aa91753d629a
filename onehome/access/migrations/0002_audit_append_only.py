"""The database itself refuses to change or remove audit events (SQLite and PostgreSQL)."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER access_auditevent_no_update BEFORE UPDATE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER access_auditevent_no_delete BEFORE DELETE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS access_auditevent_no_update",
    "DROP TRIGGER IF EXISTS access_auditevent_no_delete",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION access_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER access_auditevent_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
       ON access_auditevent FOR EACH STATEMENT EXECUTE FUNCTION access_auditevent_refuse()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS access_auditevent_append_only ON access_auditevent",
    "DROP FUNCTION IF EXISTS access_auditevent_refuse()",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
