"""Database triggers that make the audit log append-only (SQLite and PostgreSQL).

Used by migration 0002 and by transactional browser tests, which must empty the test
database between tests (`remove`) — nothing else may call `remove`.
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
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS access_auditevent_no_update",
            "DROP TRIGGER IF EXISTS access_auditevent_no_delete",
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
