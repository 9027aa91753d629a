"""Each audit row carries a hash chained to the row before it (issue 14, point 4): the
columns, then the rows already there chained in id order on chain 0 (so that `onehome audit verify`
passes on an upgraded database), then the triggers again, with SQLite's new one that
refuses an INSERT onto an existing id (INSERT OR REPLACE)."""

from django.db import migrations, models

from onehome.access import audit_chain, triggers

BATCH = 1000


def lift(apps, schema_editor):
    triggers.remove(schema_editor.connection)


def reinstate(apps, schema_editor):
    triggers.install(schema_editor.connection)


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("access", "AuditEvent")
    events = AuditEvent.objects.using(schema_editor.connection.alias)
    prev = audit_chain.GENESIS
    page = []
    for row in audit_chain.rows_in_order(events, chunk=BATCH):
        event = AuditEvent(id=row["id"], prev_hash=prev)
        event.hash = prev = audit_chain.chained_hash(prev, audit_chain.prepared(AuditEvent, row))
        page.append(event)
        if len(page) == BATCH:
            events.bulk_update(page, ["prev_hash", "hash"])
            page = []
    if page:
        events.bulk_update(page, ["prev_hash", "hash"])


class Migration(migrations.Migration):
    dependencies = [("access", "0003_cache_table")]

    operations = [
        migrations.RunPython(lift, reinstate),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["chain", "id"], name="access_audit_chain_head"),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(reinstate, lift),
    ]
