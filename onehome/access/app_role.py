"""The PostgreSQL role the app connects as (issue 14, point 4): it owns no table, is no
superuser, reads and writes the other tables, and may only SELECT and INSERT the audit log.
So it cannot disable or drop the audit log's trigger, set `session_replication_role`,
TRUNCATE, UPDATE or DELETE audit rows. Migrations run as the tables' owner, who then runs
`onehome grant_app_role <role>` (docs/operations.md, "The audit log's database role")."""

AUDIT_TABLE = "access_auditevent"


def grant_sql(role: str, quote) -> list[str]:
    """The statements that give `role` the app's privileges in this database (schema
    public); run by the owner after every migrate. `quote` quotes an identifier."""
    r = quote(role)
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        f"REVOKE UPDATE, DELETE ON {AUDIT_TABLE} FROM {r}",
        # Tables and sequences the owner creates later (new migrations) get the same.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]


def unfit(cursor, role: str) -> list[str]:
    """Why `role` can never be the app's role, whatever it is granted (empty: it can)."""
    cursor.execute(
        "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = %s", [role]
    )
    found = cursor.fetchone()
    if found is None:
        return [f"there is no role {role}"]
    found_problems = []
    if found[0]:
        found_problems.append(f"{role} is a superuser")
    if found[2]:
        found_problems.append(f"{role} may create roles")
    cursor.execute(
        "SELECT pg_has_role(%s, tableowner, 'USAGE') FROM pg_tables "
        "WHERE schemaname = 'public' AND tablename = %s",
        [role, AUDIT_TABLE],
    )
    owner = cursor.fetchone()
    if owner and owner[0]:
        found_problems.append(f"{role} owns {AUDIT_TABLE} (or is a member of its owner)")
    return found_problems


def problems(cursor, role: str) -> list[str]:
    """Why `role` could still get round the audit log's triggers (empty: it cannot)."""
    found_problems = unfit(cursor, role)
    if found_problems:
        return found_problems
    for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, AUDIT_TABLE, privilege])
        if cursor.fetchone()[0]:
            found_problems.append(f"{role} has {privilege} on {AUDIT_TABLE}")
    return found_problems


def create_role(cursor, role: str, quote) -> bool:
    """Create `role` (LOGIN, nothing more) unless it exists; whether it was created. Its
    password, if the server asks for one, is set in psql (`\\password <role>`)."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone() is not None:
        return False
    cursor.execute(f"CREATE ROLE {quote(role)} LOGIN")
    return True


def grant(connection, role: str) -> list[str]:
    """Run `grant_sql` on `connection` (the owner's); the remaining problems, if any. A
    superuser or the owner itself is refused before anything is granted or revoked."""
    with connection.cursor() as cursor:
        refused = unfit(cursor, role)
        if refused:
            return refused
        for statement in grant_sql(role, connection.ops.quote_name):
            cursor.execute(statement)
        return problems(cursor, role)
