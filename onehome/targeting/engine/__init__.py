"""The Alkire–Foster engine of targeting, as Ibis expressions (DuckDB by default, PySpark
for a cluster): catalogues (`spec`), per-person deprivation (`deprivation`), counts and
measures (`measures`), dimension subsets (`dimension_subsets`), where expressions run
(`backends`), and the full run of a survey round (`full_run`, over `touched_people`, the
round's `run_ready_columns` and its `village_totals`).

It imports no Django and nothing of ``onehome`` outside this package, so the command line
(`onehome.targeting.cli`), the benchmarks and a Spark driver use it without settings;
whatever it needs from the project (paths, a data directory) is passed in by the caller.
"""
