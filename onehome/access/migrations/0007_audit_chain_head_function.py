"""The chain's head in one round trip on PostgreSQL (`audit_chain.HEAD_FUNCTION`)."""

from django.db import migrations

from onehome.access import audit_chain


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(audit_chain.HEAD_FUNCTION)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {audit_chain.HEAD_FUNCTION_NAME}(int, int)")


class Migration(migrations.Migration):
    dependencies = [("access", "0006_signin_audit_actions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
