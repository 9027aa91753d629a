"""Load benchmark of the cases API on PostgreSQL (issue 4, "Performance").

    # build the database once (≈ 2,000,000 people, 1,000,000 cases; resumable):
    .venv/bin/python -m bench.cases_load generate
    # serve it with gunicorn, count queries per request, drive load with wrk:
    .venv/bin/python -m bench.cases_load run

Figures and how they were taken: docs/performance.md, "Cases API under load".
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/onehome_bench_cases"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["generate", "queries", "profile", "run", "all"])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--people", type=int, default=2_000_000)
    parser.add_argument("--households", type=int, default=700_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument(
        "--worker-class", default="gthread", help="gunicorn worker class (sync, gthread)"
    )
    parser.add_argument("--workers", type=int, default=4, help="server worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument(
        "--env", action="append", default=[], help="NAME=VALUE for the server, repeatable"
    )
    parser.add_argument(
        "--worker-connections",
        type=int,
        default=5,
        help="gunicorn gthread: connections a worker holds at most (gunicorn's default: 1000)",
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--duration", type=int, default=30, help="seconds per wrk run")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--modes",
        default="baseline,list,detail,intake,mix",
        help="which wrk runs, comma-separated (baseline is always useful)",
    )
    parser.add_argument("--preload", action="store_true", help="gunicorn --preload")
    parser.add_argument("--verbose", action="store_true", help="print the SQL of each endpoint")
    parser.add_argument("--requests", type=int, default=300, help="requests per mode (profile)")
    parser.add_argument("--cprofile", action="store_true", help="cProfile each mode (profile)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onehome.settings")
    if args.step in ("generate", "all"):
        from .generate import ensure_database

        ensure_database(args.database_url)
    import django

    django.setup()
    if args.step in ("generate", "all"):
        from .generate import generate

        generate(
            args.database_url, people=args.people, households=args.households, cases=args.cases
        )
    if args.step == "queries":
        from .queries import count_queries
        from .sample import draw

        count_queries(draw(workers=5, operators=5), verbose=True)
    if args.step == "profile":
        from .inprocess import profile
        from .sample import draw

        modes = args.modes.split(",")
        profile(draw(), modes=modes, requests=args.requests, use_cprofile=args.cprofile)
    if args.step in ("run", "all"):
        from .runner import run

        run(args)


if __name__ == "__main__":
    main()
