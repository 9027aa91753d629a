# Notification now belongs to the notifications app (notifications.0001, which keeps the
# table `cases_notification`). Only Django's state changes: no table is dropped, no row moves.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_area_prefix_indexes"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
