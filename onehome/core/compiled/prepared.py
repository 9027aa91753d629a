"""Prepared statements on PostgreSQL, except where one plan cannot fit every area.

With `server_side_binding` (settings, PostgreSQL) psycopg prepares a statement once it has
run five times on a connection, and PostgreSQL may then keep one generic plan for it
instead of planning it again on every call. That saves most of the database's CPU of the
case detail and of intake (planning the sensitive-case rule's `Exists` cost more than
running it; docs/performance.md, "Cases API under load").

A statement filtered by an area's sub-districts (`access.scope.InCodes`, one array
parameter) is the exception: the right plan depends on the area. A generic plan of the
case list, made without knowing the area's size, sorts all of a province's cases where the
plan for the actual province walks the newest ones. So a statement with an array
parameter is sent unprepared and planned for its values, as before.

Cases of a province's, district's or sub-district's user are filtered by the prefix of
their sub-district code instead (`code_prefix.InArea`, served by an index on (prefix,
newest id)); a generic plan of that list was as bad, so those statements carry
`PER_CALL_PLAN` and are sent unprepared too. The figures: docs/performance.md, "Figures
behind choices in the code (cases API)".
"""

from django.db.backends.postgresql.base import ServerBindingCursor

from onehome.core.compiled.code_prefix import PER_CALL_PLAN


class AreaPlannedCursor(ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and (
            PER_CALL_PLAN in query or (params and any(isinstance(p, list) for p in params))
        ):
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)


def use_for(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: prepared statements where server-side binding is on."""
    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get(
        "server_side_binding"
    ):
        connection.connection.cursor_factory = AreaPlannedCursor
