"""``mpi compute``: the engine from the command line, as plain functions.

The Django management command (``manage.py mpi compute``) is a thin wrapper around
:func:`add_compute_arguments` and :func:`run_compute`, so this logic is testable without
Django settings and also runs as ``python -m onehome.targeting.cli compute ...``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

import pandas as pd

from onehome.targeting.engine.backends import ENGINES, DataFileError, connect, read_table
from onehome.targeting.engine.dimension_subsets import check_dimensions, subset_counts_from_counts
from onehome.targeting.engine.measures import aggregate_counts, mpi_from_counts
from onehome.targeting.engine.spec import SpecError, load_spec


class UsageError(Exception):
    """An error the user caused: shown as one line, exit status 2, nothing computed."""


def add_subcommands(parser: argparse.ArgumentParser) -> None:
    """The ``compute`` subcommand, for this module's parser and the management command's."""
    sub = parser.add_subparsers(dest="subcommand", required=True)
    add_compute_arguments(sub.add_parser("compute", help="compute H, A, M0 (M1, M2) ..."))


def add_compute_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="person-level data, .csv or .parquet")
    parser.add_argument("--spec", required=True, help="indicator catalogue (YAML)")
    parser.add_argument("--k", help="poverty cutoff in (0, 1], or 'union'; overrides the spec")
    parser.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="COLUMN",
        help="group by this column (repeat, or comma-separate, for several)",
    )
    parser.add_argument("--format", choices=("json", "table"), default="json")
    parser.add_argument("--engine", choices=ENGINES, default="duckdb")
    parser.add_argument("--spark-master", help="Spark master URL (default local[*])")
    parser.add_argument(
        "--missing",
        choices=("report", "drop", "not_deprived"),
        help="missing-value policy; overrides the spec",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a spec setting, e.g. --set income_threshold=40000",
    )
    parser.add_argument(
        "--subsets",
        action="store_true",
        help="also count the poor deprived in each non-empty subset of dimensions",
    )


def run_compute(options: argparse.Namespace | dict[str, Any]) -> dict[str, Any]:
    """Compute the measures described by parsed options; raise UsageError on bad input."""
    opts = vars(options) if isinstance(options, argparse.Namespace) else dict(options)
    by = [c.strip() for item in opts.get("by") or [] for c in item.split(",") if c.strip()]
    try:
        spec = load_spec(opts["spec"], **_settings(opts.get("set") or []))
        if opts.get("k") is not None:
            spec = spec.with_k(opts["k"])
        if opts.get("missing"):
            spec = spec.with_missing(opts["missing"])
        engine = opts.get("engine") or "duckdb"
        con = connect(engine, spark_master=opts.get("spark_master"))
        table = read_table(con, opts["data"])
        subsets = bool(opts.get("subsets"))
        if subsets:
            check_dimensions(spec)
        # One query: with --subsets the groups are split by dimension mask as well, and
        # the measures are the counts rolled up again (see engine.aggregate_counts).
        counts = aggregate_counts(table, spec, by=by, by_mask=subsets)
        result = mpi_from_counts(counts, spec, by=by)
        if subsets:
            frame = subset_counts_from_counts(counts, spec, by=by)
            result["dimension_subsets"] = json.loads(frame.to_json(orient="records"))
    except (SpecError, DataFileError) as exc:
        raise UsageError(str(exc)) from exc
    result["engine"] = engine
    return result


def render(result: dict[str, Any], fmt: str = "json") -> str:
    if fmt == "json":
        return json.dumps(result, indent=2, ensure_ascii=False, sort_keys=False)
    return render_table(result)


def render_table(result: dict[str, Any]) -> str:
    lines = [f"spec {result['spec'] or '-'}  k={result['k']:.6g} ({result['k_rule']})"]
    lines.append(_summary_frame([result], None).to_string(index=False))
    per_indicator = pd.DataFrame(
        {
            "censored_headcount": result["censored_headcount"],
            "uncensored_headcount": result["uncensored_headcount"],
            "contribution": result["contribution"],
        }
    )
    lines += ["", per_indicator.to_string(float_format=lambda v: f"{v:.4f}")]
    lines += ["", result["missing"]["note"]]
    if result.get("groups"):
        lines += ["", _summary_frame(result["groups"], result["by"]).to_string(index=False)]
    return "\n".join(lines)


def _summary_frame(rows: list[dict[str, Any]], by: list[str] | None) -> pd.DataFrame:
    keys = ["n", "q", "H", "A", "M0", "M1", "M2"]
    records = []
    for row in rows:
        record = {col: row["group"][col] for col in by} if by else {}
        record.update({key: row[key] for key in keys if key in row})
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    for key in ("H", "A", "M0", "M1", "M2"):
        if key in frame:
            frame[key] = frame[key].map(lambda v: "-" if v is None else f"{v:.4f}")
    return frame


def _settings(pairs: Sequence[str]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--set expects NAME=VALUE, got {pair!r}")
        try:
            settings[name] = json.loads(value)
        except json.JSONDecodeError:
            settings[name] = value
    return settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mpi", description="Alkire–Foster poverty measures")
    add_subcommands(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = run_compute(args)
    except UsageError as exc:
        print(f"mpi: error: {exc}", file=sys.stderr)
        return 2
    print(render(result, args.format))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
