"""The table of the database cache (settings.CACHES): the public forms' rate limits are
counted there, shared by every server process. Nothing is created when the cache is
Redis."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_audit_append_only")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
