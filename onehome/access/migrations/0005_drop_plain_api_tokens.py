"""API tokens move to django-rest-knox, which keeps a digest (docs/decisions/0012): the plain
tokens of REST framework's `authtoken` table are dropped, not carried over. Every admin
could read them in the admin site, so each must be taken as seen; their owners sign in for
new tokens (`POST /api/token/`). The table is dropped with its rows, and the `authtoken`
app's migration records with it, so that nothing of the plain keys stays in the database."""

from django.db import migrations

OLD_TABLE = "authtoken_token"


def drop_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0004_audit_chain"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunPython(drop_plain_tokens, migrations.RunPython.noop, elidable=False),
    ]
