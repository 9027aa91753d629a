"""An area code's prefix as an SQL expression that indexes can match: a province is the
first 2 digits of its sub-districts' codes, a district the first 4."""

from django.db.models import CharField, Func


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
