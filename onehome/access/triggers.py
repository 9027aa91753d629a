"""Database triggers that make the audit log append-only (SQLite and PostgreSQL).

SQLite: UPDATE and DELETE are refused, and so is an INSERT onto an existing id, which is
how `INSERT OR REPLACE`, `REPLACE INTO` and `INSERT ... ON CONFLICT DO UPDATE` would
replace a row (REPLACE deletes the old row without firing delete triggers).
PostgreSQL: UPDATE, DELETE and TRUNCATE are refused, also when they come from
`INSERT ... ON CONFLICT DO UPDATE` or `MERGE` (statement triggers fire for them); only the
table's owner can disable or drop the trigger, and the app does not connect as the owner
(docs/operations.md, "The audit log's database role").

Used by migrations 0002 and 0004 and by the test suite, which must empty the test
database after a transactional test (`remove`, as the owner) — nothing else may call
`remove`.
"""

SQL = {
    "sqlite": {
        "install": [
            """CREATE TRIGGER IF NOT EXISTS access_auditevent_no_update
               BEFORE UPDATE ON access_auditevent
               BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
            """CREATE TRIGGER IF NOT EXISTS access_auditevent_no_delete
               BEFORE DELETE ON access_auditevent
               BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
            """CREATE TRIGGER IF NOT EXISTS access_auditevent_no_replace
               BEFORE INSERT ON access_auditevent
               WHEN EXISTS (SELECT 1 FROM access_auditevent WHERE id = NEW.id)
               BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS access_auditevent_no_update",
            "DROP TRIGGER IF EXISTS access_auditevent_no_delete",
            "DROP TRIGGER IF EXISTS access_auditevent_no_replace",
        ],
    },
    "postgresql": {
        "install": [
            """CREATE OR REPLACE FUNCTION access_auditevent_refuse() RETURNS trigger AS $$
               BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql""",
            "DROP TRIGGER IF EXISTS access_auditevent_append_only ON access_auditevent",
            """CREATE TRIGGER access_auditevent_append_only
               BEFORE UPDATE OR DELETE OR TRUNCATE ON access_auditevent
               FOR EACH STATEMENT EXECUTE FUNCTION access_auditevent_refuse()""",
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS access_auditevent_append_only ON access_auditevent",
            "DROP FUNCTION IF EXISTS access_auditevent_refuse()",
        ],
    },
}


def _run(connection, step: str) -> None:
    statements = SQL.get(connection.vendor, {}).get(step, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection) -> None:
    _run(connection, "install")


def remove(connection) -> None:
    _run(connection, "remove")
