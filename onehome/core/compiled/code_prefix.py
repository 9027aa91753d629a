"""An area code's prefix as an SQL expression that indexes can match: a province is the
first 2 digits of its sub-districts' codes, a district the first 4."""

from django.db.models import BooleanField, CharField, Func


class CodePrefix(Func):
    """The first ``width`` characters of a code, with the width written into the SQL
    (``LEFT(code, 2)``; ``SUBSTR(code, 1, 2)`` on SQLite). An index on the expression serves
    only queries that spell it the same way: Django's ``Left`` sends the width as a
    parameter, which SQLite's planner and PostgreSQL's generic plans cannot match."""

    output_field = CharField()

    def __init__(self, expression, width: int, **extra):
        self.width = int(width)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra):
        template = f"LEFT(%(expressions)s, {self.width})"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = f"SUBSTR(%(expressions)s, 1, {self.width})"
        return super().as_sql(compiler, connection, template=template, **extra)


# Marks a statement whose plan must be made for its values on every call (never a generic
# plan of a prepared statement): `core.compiled.prepared` sends it unprepared.
PER_CALL_PLAN = "/* planned per call */"


class InArea(Func):
    """``code_column`` lies in the area ``area`` (2, 4 or 6 digits): ``LEFT(col, 2) = '57'``,
    the area in the SQL text too (only digits are ever written there), and the statement
    marked `PER_CALL_PLAN`: PostgreSQL's generic plan of the case list cannot know the
    user, so it reads every assignment of theirs for the sensitive-case rule instead of
    probing per row, many times slower than a plan made per call (see docs/performance.md,
    "Figures behind choices in the code (cases API)")."""

    output_field = BooleanField()

    def __init__(self, code_column, area: str, **extra):
        if not (isinstance(area, str) and area.isdigit() and len(area) in (2, 4, 6)):
            raise ValueError(f"not an area code: {area!r}")
        self.area = area
        column = code_column if len(area) == 6 else CodePrefix(code_column, len(area))
        super().__init__(column, **extra)

    def as_sql(self, compiler, connection, **extra):
        template = f"%(expressions)s = '{self.area}' {PER_CALL_PLAN}"
        return super().as_sql(compiler, connection, template=template, **extra)
