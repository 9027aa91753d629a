"""The audit chain's cost on PostgreSQL: audit rows written from several threads at once,
without the chain (the baseline, measured in the same run), with one chain and with the
app's several chains (`audit_chain.CHAINS`).

    .venv/bin/python bench/audit_chain.py            # 8 threads, 4,000 rows a run
    .venv/bin/python bench/audit_chain.py --threads 4 --rows 8000 --hold-ms 0,2 --rounds 3

Each row is written in its own transaction, as a list request writes its one row; with
--hold-ms H the transaction goes on for H ms after the row (pg_sleep: a service that
writes more after its audit row), holding the chain's lock until it commits. The baseline
inserts the same rows through Django without `AuditEvent.save`'s chain (no lock, no head
read). Runs alternate baseline / 1 chain / CHAINS chains; the table is emptied between runs.
Then `onehome audit verify`'s check is timed over the last run's rows. Prints rows/s and this
process's peak memory. The database (default onehome_bench_audit) is created if missing;
it is the bench's own, never the app's.
"""

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/onehome_bench_audit"
    )
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rows", type=int, default=4000, help="rows per run (all threads)")
    parser.add_argument("--hold-ms", default="0,2", help="comma-separated")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    _create_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onehome.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(
        f"PostgreSQL {connection.cursor().connection.info.server_version}, "
        f"{args.threads} threads, {args.rows} rows a run"
    )
    from onehome.access import audit_chain

    chains = audit_chain.CHAINS
    for hold in [float(h) for h in args.hold_ms.split(",")]:
        for _round in range(args.rounds):
            for name, n in (("baseline", 0), ("1 chain", 1), (f"{chains} chains", chains)):
                _empty()
                audit_chain.CHAINS = n or chains
                took = _run(args.threads, args.rows, bool(n), hold)
                print(
                    f"hold {hold:>3} ms  {name:<10} {args.rows / took:7.0f} rows/s  ({took:.2f} s)"
                )
            _verify_rate()
        audit_chain.CHAINS = chains
    _empty()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB")


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _empty() -> None:
    from django.db import connection

    from onehome.access import triggers

    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE access_auditevent")
    triggers.install(connection)


def _run(threads: int, rows: int, chained: bool, hold_ms: float) -> float:
    from django.db import connection, models, transaction

    from onehome.access.models import AuditEvent

    barrier = threading.Barrier(threads + 1)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            barrier.wait()
            for i in range(rows // threads):
                with transaction.atomic():
                    event = AuditEvent(
                        actor_id=t,
                        actor_username=f"bench{t}",
                        action="read",
                        object_type="cases.case",
                        object_id="list",
                        after={"ids": list(range(i, i + 50))},
                        purpose="bench",
                        channel="api",
                        ip="127.0.0.1",
                    )
                    if chained:
                        event.save()
                    else:
                        models.Model.save(event)  # the same INSERT, without the chain
                    if hold_ms:
                        with connection.cursor() as cursor:
                            cursor.execute("SELECT pg_sleep(%s)", [hold_ms / 1000])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    took = time.perf_counter() - started
    if errors:
        raise errors[0]
    return took


def _verify_rate() -> None:
    from onehome.access import audit_chain
    from onehome.access.models import AuditEvent

    started = time.perf_counter()
    result = audit_chain.check(AuditEvent, audit_chain.rows_in_order(AuditEvent.objects.all()))
    took = time.perf_counter() - started
    assert result.broken is None, result.broken
    print(f"verify: {result.rows} rows in {took:.2f} s, {result.rows / took:.0f} rows/s")


if __name__ == "__main__":
    main()
