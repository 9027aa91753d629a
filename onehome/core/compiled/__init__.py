"""The compiled-query kit: the few busiest reads, written as SQL Django compiles once.

- `queries`: `CompiledQuery` compiles an ordinary queryset once per process and database,
  then only binds new values; `RowsById` does it for a page's rows by id.
- `code_prefix`: an area code's prefix as an SQL expression that an index matches
  (`CodePrefix`, `InArea`), and the `PER_CALL_PLAN` mark.
- `prepared`: prepared statements on PostgreSQL, except statements whose plan depends on
  the area.

An optimisation, never a rule: each compiled read is tested equal to the queryset it stands
for (`cases/tests/test_compiled_reads.py`, `cases/tests/test_sensitive_rule.py`). Only
the hot paths named in the import contract in `pyproject.toml` ("Only the hot reads use
the compiled-query kit") may import it; anything else reads through the ORM. Why, and
the figures: `docs/decisions/0007-compiled-hot-reads.md`.
"""
