"""On PostgreSQL the app connects as a role that owns no table and is no superuser, with
SELECT and INSERT only on the audit log (issue 14, point 4): what only an owner or a
superuser may do to the log's trigger is refused. CI runs the PostgreSQL suite as that
role (ONEHOME_TEST_APP_ROLE, onehome/conftest.py); this module runs last, so that it also
proves that no test or fixture left the connection as the owner."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from onehome.access import app_role, audit
from onehome.access.models import AuditEvent
from onehome.conftest import APP_ROLE

RUN_LAST = True
OPERATIONS = Path(__file__).resolve().parents[3] / "docs" / "operations.md"

# Each needs the table's (or the function's) owner, or a superuser.
OWNER_ONLY = {
    "disable trigger": "ALTER TABLE access_auditevent DISABLE TRIGGER ALL",
    "disable user trigger": "ALTER TABLE access_auditevent DISABLE TRIGGER USER",
    "drop trigger": "DROP TRIGGER access_auditevent_append_only ON access_auditevent",
    "replica role": "SET session_replication_role = replica",
    "replace function": (
        "CREATE OR REPLACE FUNCTION access_auditevent_refuse() RETURNS trigger AS $$ "
        "BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql"
    ),
    "drop table": "DROP TABLE access_auditevent CASCADE",
    "rename table": "ALTER TABLE access_auditevent RENAME TO access_auditevent_old",
    "new trigger": (
        "CREATE TRIGGER t BEFORE INSERT ON access_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION access_auditevent_refuse()"
    ),
    "update": "UPDATE access_auditevent SET purpose = 'forged'",
    "delete": "DELETE FROM access_auditevent",
    "truncate": "TRUNCATE access_auditevent",
}


@pytest.fixture
def app_role_connected():
    if connection.vendor != "postgresql" or not APP_ROLE:
        pytest.skip("PostgreSQL run as the app role (ONEHOME_TEST_APP_ROLE)")


@pytest.mark.django_db
@pytest.mark.usefixtures("app_role_connected")
def test_the_suite_runs_as_the_app_role_which_owns_nothing_and_is_no_superuser():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, session_user, r.rolsuper, r.rolbypassrls, t.tableowner "
            "FROM pg_roles r, pg_tables t WHERE r.rolname = current_user "
            "AND t.tablename = 'access_auditevent'"
        )
        user, session_user, superuser, bypass_rls, owner = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        owned = cursor.fetchone()[0]
    assert (user, session_user) == (APP_ROLE, APP_ROLE)
    assert not superuser and not bypass_rls and owner != APP_ROLE and owned == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("app_role_connected")
@pytest.mark.parametrize("attempt", sorted(OWNER_ONLY))
def test_the_app_role_cannot_switch_the_audit_log_off(attempt):
    event = audit.record(actor=None, action="read", object_type="t", object_id="1", purpose="kept")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(OWNER_ONLY[attempt])
    assert AuditEvent.objects.get(pk=event.pk).purpose == "kept"
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'access_auditevent_append_only'"
        )
        assert cursor.fetchone()[0] == "O"  # enabled
    call_command("audit", "verify", "--no-progress")


@pytest.mark.django_db
@pytest.mark.usefixtures("app_role_connected")
def test_the_app_role_cannot_grant_itself_update():
    event = audit.record(actor=None, action="read", object_type="t", object_id="1", purpose="kept")
    with connection.cursor() as cursor:  # PostgreSQL warns "no privileges were granted"
        cursor.execute("GRANT UPDATE, DELETE ON access_auditevent TO CURRENT_USER")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE access_auditevent SET purpose = 'forged'")
    assert AuditEvent.objects.get(pk=event.pk).purpose == "kept"


@pytest.mark.django_db
@pytest.mark.usefixtures("app_role_connected")
def test_the_app_role_writes_everything_else():
    with connection.cursor() as cursor:  # any table but the audit log: the cache's
        cursor.execute(
            "INSERT INTO onehome_cache (cache_key, value, expires) VALUES ('k', 'v', now())"
        )
        cursor.execute("UPDATE onehome_cache SET value = 'w' WHERE cache_key = 'k'")
        cursor.execute("DELETE FROM onehome_cache WHERE cache_key = 'k'")
        assert cursor.rowcount == 1
    event = audit.record(actor=None, action="update", object_type="t", object_id="1")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_operations_doc_shows_the_grants_the_command_runs():
    out = StringIO()
    call_command("grant_app_role", "onehome_app", "--sql", stdout=out, skip_checks=True)
    text = re.sub(r"\s+", " ", OPERATIONS.read_text())
    for statement in out.getvalue().splitlines():
        assert re.sub(r"\s+", " ", statement) in text, statement


@pytest.mark.django_db(transaction=True)
def test_grant_app_role_leaves_a_role_select_and_insert_on_the_audit_log(db_owner):
    if connection.vendor != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    role = "onehome_test_grant"
    try:
        call_command("grant_app_role", role, "--create", stdout=StringIO(), skip_checks=True)
        with connection.cursor() as cursor:

            def may(table: str, privilege: str) -> bool:
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
                return cursor.fetchone()[0]

            audit_log = {p: may("access_auditevent", p) for p in ("SELECT", "INSERT")}
            assert audit_log == {"SELECT": True, "INSERT": True}
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
                assert not may("access_auditevent", privilege), privilege
            assert may("geo_village", "UPDATE") and may("geo_village", "DELETE")
            assert not may("geo_village", "TRUNCATE")
        assert app_role.problems(connection.cursor(), role) == []
        with pytest.raises(CommandError, match="is a superuser"):
            call_command("grant_app_role", connection.settings_dict["USER"], skip_checks=True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone():
                cursor.execute(f"DROP OWNED BY {role}")
                cursor.execute(f"DROP ROLE {role}")
