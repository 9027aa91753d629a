"""Fill the search keys (0003) of the people already registered, 5,000 at a time, each
batch in its own transaction (the migration is not atomic), so that a large registry is
neither locked for the whole fill nor refilled from the start after an interruption:
people whose keys are set are skipped. People erased on request (privacy) keep empty
keys, as the erasure leaves them."""

from django.db import migrations, transaction

BATCH = 5000
ERASED_NAME = "ผู้ขอลบข้อมูล"  # onehome.privacy.requests.erasure.ERASED_NAME, as of this migration


def fill(apps, schema_editor):
    # The key functions are the app's own (PyThaiNLP folding and romanisation).
    from onehome.registry import matching

    Person = apps.get_model("registry", "Person")
    todo = Person.objects.filter(first_fold="", last_fold="").exclude(name_key=ERASED_NAME)
    last = 0
    while True:
        batch = list(
            todo.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "first_name_th", "last_name_th")[:BATCH]
        )
        if not batch:
            return
        with transaction.atomic(using=schema_editor.connection.alias):
            for person in batch:
                matching.set_search_keys(person)
            Person.objects.bulk_update(
                batch, ["first_fold", "last_fold", "first_rom", "last_rom"], batch_size=1000
            )
        last = batch[-1].pk


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("registry", "0003_person_fold_and_romanised_keys"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
