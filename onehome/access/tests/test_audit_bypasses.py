"""Every way found to change or remove an audit row through SQL is refused by the database
under test (issue 14, point 4), and the chain still holds afterwards. On PostgreSQL the
statements that only the owner could run are tried in test_app_role.py."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from onehome.access import audit
from onehome.access.models import AuditEvent

pytestmark = pytest.mark.django_db

# Fixed SQL (no outside input) built from these two parts.
COLUMNS = (
    "id, at, actor_username, action, object_type, object_id, subdistrict_code, purpose, "
    "channel, prev_hash, hash"
)
ROW = "%s, '2026-01-01 00:00:00', 'forger', 'read', 'x', 'x', '', 'forged', '', '', ''"

SQLITE = {
    "update": "UPDATE access_auditevent SET purpose = 'forged' WHERE id = %s",
    "update or replace": "UPDATE OR REPLACE access_auditevent SET purpose = 'forged' WHERE id = %s",
    "delete": "DELETE FROM access_auditevent WHERE id = %s",
    "insert or replace": f"INSERT OR REPLACE INTO access_auditevent ({COLUMNS}) VALUES ({ROW})",  # noqa: S608
    "replace into": f"REPLACE INTO access_auditevent ({COLUMNS}) VALUES ({ROW})",  # noqa: S608
    "upsert": (
        f"INSERT INTO access_auditevent ({COLUMNS}) VALUES ({ROW}) "  # noqa: S608
        "ON CONFLICT (id) DO UPDATE SET purpose = excluded.purpose"
    ),
    "upsert replace": (
        f"INSERT INTO access_auditevent ({COLUMNS}) VALUES ({ROW}) "  # noqa: S608
        "ON CONFLICT DO UPDATE SET purpose = 'forged'"
    ),
}

POSTGRESQL = {
    "update": "UPDATE access_auditevent SET purpose = 'forged' WHERE id = %s",
    "delete": "DELETE FROM access_auditevent WHERE id = %s",
    "truncate": "TRUNCATE access_auditevent",
    "upsert": (
        f"INSERT INTO access_auditevent ({COLUMNS}) VALUES ({ROW}) "  # noqa: S608
        "ON CONFLICT (id) DO UPDATE SET purpose = excluded.purpose"
    ),
    "merge update": (
        "MERGE INTO access_auditevent a USING (SELECT %s::bigint AS id) s ON a.id = s.id "
        "WHEN MATCHED THEN UPDATE SET purpose = 'forged'"
    ),
    "merge delete": (
        "MERGE INTO access_auditevent a USING (SELECT %s::bigint AS id) s ON a.id = s.id "
        "WHEN MATCHED THEN DELETE"
    ),
}


def _refused(sql: str, row_id: int) -> None:
    params = [row_id] if "%s" in sql else []
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _holds() -> None:
    row = AuditEvent.objects.order_by("id")[1]
    assert (row.actor_username, row.purpose) == ("", "kept")
    assert AuditEvent.objects.count() == 3
    call_command("audit", "verify", "--no-progress")


@pytest.fixture
def rows() -> list[AuditEvent]:
    return [
        audit.record(actor=None, action="read", object_type="t", object_id=str(i), purpose="kept")
        for i in range(3)
    ]


@pytest.mark.parametrize("bypass", sorted(SQLITE))
def test_sqlite_refuses(bypass, rows):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's statements")
    _refused(SQLITE[bypass], rows[1].pk)
    _holds()


@pytest.mark.parametrize("bypass", sorted(POSTGRESQL))
def test_postgresql_refuses(bypass, rows):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statements")
    _refused(POSTGRESQL[bypass], rows[1].pk)
    _holds()
