"""Moving `Notification` from the cases app to this one keeps every row: the migrations
change Django's state only, and the table `cases_notification` stays as it is."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from onehome.notifications.models import Notification

BEFORE_THE_MOVE = [("cases", "0004_area_prefix_indexes"), ("notifications", None)]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest() -> list[tuple[str, str]]:
    """Every app's newest migration: going back to before the move also unapplies the
    migrations of apps that depend on cases (privacy), which must come back too."""
    executor = MigrationExecutor(connection)
    return list(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_notification_written_before_the_move_is_read_after_it(make_user, db_owner):
    user = make_user("supervisor")
    latest = _latest()
    try:
        executor = _migrate(BEFORE_THE_MOVE)
        old_apps = executor.loader.project_state([BEFORE_THE_MOVE[0]]).apps
        OldNotification = old_apps.get_model("cases", "Notification")
        assert OldNotification._meta.db_table == "cases_notification"
        row = OldNotification.objects.create(
            user_id=user.pk, kind="escalation", title="Case T1 is overdue", sent_via=["app"]
        )
    finally:
        _migrate(latest)

    assert Notification._meta.db_table == "cases_notification"
    moved = Notification.objects.get(pk=row.pk)
    assert (moved.user_id, moved.kind, moved.title, moved.sent_via) == (
        user.pk,
        "escalation",
        "Case T1 is overdue",
        ["app"],
    )
    assert "cases_notification" in connection.introspection.table_names()
