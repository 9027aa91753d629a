"""The audit log's hash chain (issue 14, point 4): every row is chained to the one before
it, `onehome audit verify` recomputes the chain and names the first row that does not
hold: a changed row, or the row after a deleted one. Tampering is done as a database
owner would: the append-only triggers are dropped first (inside the test's transaction, or
as the owner for the migration test)."""

import re
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from onehome.access import audit, audit_chain, triggers
from onehome.access.models import AuditEvent

BEFORE_THE_CHAIN = [("access", "0003_cache_table")]


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", "--no-progress", stdout=out)
    return out.getvalue()


def write(n: int, **extra) -> list[AuditEvent]:
    return [
        audit.record(actor=None, action="read", object_type="test.thing", object_id=str(i), **extra)
        for i in range(n)
    ]


@pytest.fixture
def tamper(as_db_owner):
    """Change the log as its owner could: without the triggers (put back after)."""

    def run(sql: str, params: list) -> None:
        with as_db_owner():
            triggers.remove(connection)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
            triggers.install(connection)

    return run


@pytest.mark.django_db
def test_every_row_is_chained_to_the_one_before_and_verify_says_the_chain_holds(
    worker, make_person
):
    make_person()
    write(3)
    rows = list(AuditEvent.objects.order_by("id"))
    assert len(rows) >= 4 and len({row.chain for row in rows}) == 1  # one connection
    assert rows[0].prev_hash == audit_chain.GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    assert f"{len(rows)} rows on 1 chains, every chain holds" in verify()


def test_verify_names_the_first_row_whose_content_was_changed(tamper):
    first, second, third, fourth = write(4)
    tamper("UPDATE access_auditevent SET purpose = %s WHERE id = %s", ["nothing", second.pk])
    tamper("UPDATE access_auditevent SET actor_username = %s WHERE id = %s", ["x", fourth.pk])
    with pytest.raises(CommandError, match=rf"broken at row {second.pk}: its content was changed"):
        verify()


def test_verify_names_the_row_after_a_deleted_one(tamper):
    first, second, third = write(3)
    tamper("DELETE FROM access_auditevent WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=rf"broken at row {third.pk}: .*was deleted"):
        verify()


def test_a_row_changed_and_given_a_new_hash_breaks_the_next_rows_link(tamper):
    first, second, third = write(3)
    second.purpose = "rewritten"
    forged = audit_chain.chained_hash(
        second.prev_hash,
        audit_chain.prepared(
            AuditEvent, {n: getattr(second, n) for n in audit_chain.CHAINED_FIELDS}
        ),
    )
    tamper(
        "UPDATE access_auditevent SET purpose = %s, hash = %s WHERE id = %s",
        ["rewritten", forged, second.pk],
    )
    with pytest.raises(CommandError, match=rf"broken at row {third.pk}: its link does not match"):
        verify()


@pytest.mark.django_db
def test_values_that_the_database_stores_differently_still_verify():
    # jsonb gives 1e300 back as an integer and -0.0 as 0; keys become strings, tuples lists;
    # an IPv6 address is stored compressed.
    audit.record(
        actor=None,
        action="update",
        object_type="test.thing",
        object_id="1",
        before={"big": 1e300, "tiny": 1e-7, "neg0": -0.0, 7: "int key", "pair": (1, 2)},
        after={"name": "สมชาย ใจดี", "huge": 2**70, "ratio": 0.1 + 0.2, "none": None},
    )
    with transaction.atomic():
        from onehome.access.middleware import request_context  # why: set the request's IP

        token = request_context.set(("2001:DB8:0:0::1", "web"))
        try:
            write(1)
        finally:
            request_context.reset(token)
    assert "2 rows on 1 chains, every chain holds" in verify()


@pytest.mark.django_db
def test_rows_written_together_are_chained_as_if_written_one_by_one(tamper):
    """`record_all` (a synced batch's rows): one statement, the same chain as `record`."""
    (before,) = write(1)
    rows = audit.record_all(
        [
            {
                "actor": None,
                "action": "create",
                "object_type": "test.thing",
                "object_id": str(i),
                "household_id": i,
                "after": {"n": i},
            }
            for i in range(3)
        ]  # fmt: skip
    )
    (after,) = write(1)
    stored = list(AuditEvent.objects.filter(pk__gte=before.pk).order_by("id"))
    assert [r.pk for r in stored] == [before.pk, *(r.pk for r in rows), after.pk]
    assert [r.object_id for r in stored[1:4]] == ["0", "1", "2"]
    for earlier, later in zip(stored, stored[1:], strict=False):
        assert later.prev_hash == earlier.hash
    assert "every chain holds" in verify()
    tamper("UPDATE access_auditevent SET after = %s WHERE id = %s", ['{"n": 9}', rows[1].pk])
    with pytest.raises(CommandError, match=rf"broken at row {rows[1].pk}: its content"):
        verify()


@pytest.mark.django_db
def test_rows_cannot_be_written_around_the_chain():
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_create([AuditEvent(action="read", object_type="t", object_id="1")])
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_rows_already_in_the_log(db_owner):
    executor = MigrationExecutor(connection)
    latest = [key for key in executor.loader.graph.leaf_nodes() if key[0] == "access"]
    try:
        executor.migrate(BEFORE_THE_CHAIN)
        with connection.cursor() as cursor:
            for i, payload in enumerate(['{"n": 1e300, "k": [1, 2.5]}', '{"th": "ตำบลเวียง"}']):
                cursor.execute(
                    "INSERT INTO access_auditevent (at, actor_username, action, object_type, "
                    "object_id, subdistrict_code, purpose, channel, after) "
                    "VALUES (%s, 'old', 'read', 'test.old', %s, '', '', 'web', %s)",
                    ["2026-01-02T03:04:05.123456+00:00", str(i), payload],
                )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    assert "2 rows on 1 chains, every chain holds" in verify()
    write(1)
    assert "3 rows on " in verify()


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (SQLite serialises writers)")


@pytest.mark.usefixtures("postgres_only", "live_data")
def test_writers_at_once_leave_one_unbroken_chain():
    threads, per_thread = 8, 25
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def run(t: int) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(per_thread):
                with transaction.atomic():  # as a service does: the row, then more work
                    write(1, purpose=f"thread {t} row {i}")
                    AuditEvent.objects.filter(purpose=f"thread {t} row {i}").exists()
        except BaseException as exc:  # noqa: BLE001 - the test reports what a thread got
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors, errors
    out = verify()
    assert f"{threads * per_thread} rows on " in out and "every chain holds" in out, out


def test_after_an_archive_verify_starts_from_the_last_archived_rows_hash(tamper):
    first, second, third = write(3)
    tamper("DELETE FROM access_auditevent WHERE id = %s", [first.pk])
    with pytest.raises(CommandError, match=rf"broken at row {second.pk}: .*start of the chain"):
        verify()
    out = StringIO()
    start = f"{first.chain}:{first.hash}"
    call_command("audit", "verify", "--no-progress", "--start", start, stdout=out)
    assert "2 rows on 1 chains, every chain holds" in out.getvalue()


def test_a_chain_cut_short_is_caught_by_the_last_row_kept_from_an_earlier_verify(tamper):
    first, second, third = write(3)
    kept = re.search(r"chain \d+: (\d+:[0-9a-f]{64})", verify()).group(1)
    assert kept == f"{third.pk}:{third.hash}"
    tamper("DELETE FROM access_auditevent WHERE id = %s", [third.pk])
    assert "2 rows on 1 chains, every chain holds" in verify()  # a cut end still links
    with pytest.raises(CommandError, match=rf"row {third.pk}, kept with hash .* is gone"):
        call_command("audit", "verify", "--no-progress", "--expect", kept, stdout=StringIO())


@pytest.mark.usefixtures("postgres_only")
def test_the_head_function_picks_what_the_two_statements_pick(db):
    # `head` asks PostgreSQL's function (one round trip); `head_in_two_statements` is the
    # rule written out. In a fresh transaction each, on the same connection, both take
    # the first free chain from this backend's own and read the same newest row: on an
    # empty log (the genesis hash), then after rows were written.
    for rows in (0, 3):
        write(rows) if rows else None
        with transaction.atomic(), connection.cursor() as cursor:
            rule = audit_chain.head_in_two_statements(cursor, "postgresql", "access_auditevent")
        with transaction.atomic():
            fast = audit_chain.head(connection, "access_auditevent")
        assert fast == rule
        assert (fast[1] == audit_chain.GENESIS) is (rows == 0 and not AuditEvent.objects.exists())
