"""Volunteer app restore and sync on PostgreSQL (issue 16, point 6 and "Performance").

    createdb -h 127.0.0.1 -U postgres onehome_bench_volunteers
    .venv/bin/python bench/volunteer_sync.py \
        --database-url postgres://postgres@127.0.0.1:5432/onehome_bench_volunteers

Builds its own data once (resumable by volunteer count): N volunteers of one province
(default 2,000 in Chiang Rai), each with a login, 10 assigned households of 4 members,
one earlier visit per household, a development plan with two open goals and a due visit
for half of them. Then measures, with the same API tokens the phone uses:

(a) restore, `GET /api/volunteers/app/package/` per volunteer, in-process (Django test
    client): p50/p95 ms, queries per request (must not grow with households), bytes gzipped;
(b) sync, `POST /api/volunteers/app/sync/` with a batch of 3 visits + 1 help request +
    1 household edit + 1 member edit per volunteer: items/s, p95 per batch, queries; then the
    same batches again (all duplicates: nothing may be written);
(c) the month-end burst against gunicorn: K client threads sending batches of 10 visits for
    different volunteers, 5 % of batches sent twice; visits/s, p50/p95 per batch, errors, and
    stored visits == distinct visit ids.

The baseline of every part is an authenticated no-op (`GET /api/`, the API root) measured in
the same run and the same way. Prints peak memory of this process and of the server.
"""

import argparse
import datetime as dt
import gzip
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.volunteer_sync_data import (  # noqa: E402  (after the path is set)
    HOUSEHOLDS,
    MEMBERS,
    generate,
    volunteers_with_tokens,
)

PACKAGE, SYNC, NOOP = "/api/volunteers/app/package/", "/api/volunteers/app/sync/", "/api/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--province", default="57")
    parser.add_argument("--restores", type=int, default=200, help="volunteers restored (a)")
    parser.add_argument("--syncs", type=int, default=100, help="volunteers syncing (b)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (c)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of burst (c)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (c)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (c)")
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--no-server", action="store_true", help="skip (c)")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onehome.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    from onehome.geo.models import Province

    if not Province.objects.exists():
        call_command("load_geography")
    t0 = time.perf_counter()
    generate(args.volunteers, args.province)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"data ready in {time.perf_counter() - t0:.0f} s; database: {connection.vendor}")
    rng = random.Random(16)
    vols = volunteers_with_tokens(rng, max(args.restores, args.syncs))
    restore(vols[: args.restores])
    sync(vols[: args.syncs])
    if not args.no_server:
        burst(args, vols)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {rss:.0f} MB")


# ---------------------------------------------------------------- batches


def visit_item(hid, people, cid=None):
    return {"client_id": cid or str(uuid.uuid4()), "kind": "visit", "household_id": hid,
            "visit": {"visited_on": dt.date.today().isoformat(),
                      "answers": {"safe_food": True}, "present_ids": [people[0][0]],
                      "needs": ["food"], "notes": "เยี่ยมบ้านปลายเดือน"}}  # fmt: skip


def mixed_batch(vol):
    """3 visits, 1 help request, 1 household edit, 1 member edit (part b)."""
    hh = vol["households"]
    items = [visit_item(h[0], vol["people"][h[0]]) for h in hh[:3]]
    items.append({"client_id": str(uuid.uuid4()), "kind": "help_request", "household_id": hh[0][0],
                  "help_request": {"kind": "help", "summary": "ผู้สูงอายุล้ม ต้องการรถเข็น",
                                   "visit_client_id": items[0]["client_id"]}})  # fmt: skip
    hid, version, house_no = hh[3]
    items.append({"client_id": str(uuid.uuid4()), "kind": "household_edit", "household_id": hid,
                  "edit": {"base_version": version, "base": {"house_no": house_no},
                           "mine": {"house_no": f"{house_no}ก"}}})  # fmt: skip
    pid, pver, phone = vol["people"][hh[4][0]][1]
    items.append({"client_id": str(uuid.uuid4()), "kind": "member_edit", "household_id": hh[4][0],
                  "edit": {"object_id": pid, "base_version": pver, "base": {"phone": phone},
                           "mine": {"phone": "0899999999"}}})  # fmt: skip
    return {"items": items}


# ---------------------------------------------------------------- (a) and (b)


def timed(client, method, path, token, body=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    connection.queries_log.clear()  # a full log (9,000 queries) would count 0
    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter()
        if method == "GET":
            r = client.get(path, **headers)
        else:
            r = client.post(path, data=json.dumps(body), content_type="application/json",
                            **headers)  # fmt: skip
        ms = (time.perf_counter() - t) * 1000
    return r, ms, len(q)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def line(name, ms, queries=None, extra=""):
    q = f"  queries {min(queries)}–{max(queries)}" if queries else ""
    print(f"  {name:<34} n={len(ms):>4}  p50 {statistics.median(ms):6.1f} ms  "
          f"p95 {pct(ms, 95):6.1f} ms{q}{extra}")  # fmt: skip


def restore(vols) -> None:
    from django.test import Client

    client = Client()
    print(f"\n(a) restore: {len(vols)} volunteers × {HOUSEHOLDS} households of {MEMBERS}")
    for v in vols[:5]:  # warm-up (imports, questionnaire, first connection)
        timed(client, "GET", PACKAGE, v["token"])
    base, pkg, qb, qp, sizes = [], [], [], [], []
    for v in vols:
        r, ms, q = timed(client, "GET", NOOP, v["token"])
        assert r.status_code == 200, r.status_code
        base.append(ms), qb.append(q)
        r, ms, q = timed(client, "GET", PACKAGE, v["token"])
        assert r.status_code == 200, (r.status_code, r.content[:300])
        assert len(r.json()["households"]) == HOUSEHOLDS
        pkg.append(ms), qp.append(q), sizes.append(len(gzip.compress(r.content)))
    line("baseline GET /api/", base, qb)
    line("GET package", pkg, qp, f"  {statistics.mean(sizes) / 1024:.1f} KB gzipped")
    restore_30(client, vols[0])


def restore_30(client, vol) -> None:
    """The issue's package of 30 households: 20 more households of the same sub-district
    moved to one volunteer inside a transaction rolled back afterwards (same query count
    expected: one query per kind of record, not per household)."""
    from django.db import transaction

    from onehome.volunteers.models import Assignment

    mine = Assignment.objects.filter(household_id=vol["households"][0][0]).first()
    others = Assignment.objects.filter(
        ended_at__isnull=True, household__subdistrict_id=mine.household.subdistrict_id
    ).exclude(volunteer_id=mine.volunteer_id)[:20]
    with transaction.atomic():
        moved = [a.household_id for a in others]
        Assignment.objects.filter(household_id__in=moved, ended_at__isnull=True).delete()
        Assignment.objects.bulk_create(
            Assignment(household_id=h, volunteer_id=mine.volunteer_id, source=mine.source,
                       assigned_by_id=mine.assigned_by_id) for h in moved
        )  # fmt: skip
        ms, qs, sizes = [], [], []
        for _ in range(20):
            r, t, q = timed(client, "GET", PACKAGE, vol["token"])
            ms.append(t), qs.append(q), sizes.append(len(gzip.compress(r.content)))
        n = len(r.json()["households"])
        transaction.set_rollback(True)
    line(f"GET package, {n} households", ms, qs, f"  {sizes[0] / 1024:.1f} KB gzipped")


def sync(vols) -> None:
    from django.test import Client

    from onehome.volunteers.models import HelpRequest, OfflineChange, Visit

    client = Client()
    print(f"\n(b) sync: {len(vols)} batches of 3 visits + 1 help request + 2 edits")
    batches = [mixed_batch(v) for v in vols]
    counts = lambda: (Visit.objects.count(), HelpRequest.objects.count(),  # noqa: E731
                      OfflineChange.objects.count())  # fmt: skip
    before = counts()
    base, first, qb, qs, statuses = [], [], [], [], {}
    t = time.perf_counter()
    for v, b in zip(vols, batches, strict=True):
        r, ms, q = timed(client, "GET", NOOP, v["token"])
        base.append(ms), qb.append(q)
        r, ms, q = timed(client, "POST", SYNC, v["token"], b)
        assert r.status_code == 200, (r.status_code, r.content[:300])
        for a in r.json()["items"]:
            statuses[a["status"]] = statuses.get(a["status"], 0) + 1
        first.append(ms), qs.append(q)
    wall = time.perf_counter() - t - sum(base) / 1000
    after = counts()
    items = sum(len(b["items"]) for b in batches)
    line("baseline GET /api/", base, qb)
    line("POST sync (new)", first, qs, f"  {items / (sum(first) / 1000):.0f} items/s")
    written = [a - b for a, b in zip(after, before, strict=True)]
    print(f"    answers {statuses}; written visits/help/edits {written}; wall {wall:.1f} s")
    replay, qr, statuses = [], [], {}
    for v, b in zip(vols, batches, strict=True):
        r, ms, q = timed(client, "POST", SYNC, v["token"], b)
        for a in r.json()["items"]:
            statuses[a["status"]] = statuses.get(a["status"], 0) + 1
        replay.append(ms), qr.append(q)
    line("POST sync (same batch replayed)", replay, qr,
         f"  {items / (sum(replay) / 1000):.0f} items/s")  # fmt: skip
    written = [a - b for a, b in zip(counts(), after, strict=True)]
    print(f"    answers {statuses}; written by the replay {written}")


# ---------------------------------------------------------------- (c)


def burst(args, vols) -> None:
    from django.db import connection

    from bench.cases_load.runner import children, peak_rss_mb
    from onehome.volunteers.models import Visit

    print(f"\n(c) month-end burst: gunicorn gthread {args.workers}×{args.threads}, "
          f"{args.clients} clients, {args.duration} s each part, batches of 10 visits")  # fmt: skip
    env = dict(os.environ, DATABASE_URL=args.database_url, ONEHOME_CONN_MAX_AGE="60")
    cmd = [str(Path(sys.executable).parent / "gunicorn"), "onehome.wsgi", "--worker-class",
           "gthread", "--workers", str(args.workers), "--threads", str(args.threads),
           "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning",
           "--timeout", "60"]  # fmt: skip
    server = subprocess.Popen(cmd, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + NOOP, timeout=2)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.5)
        connection.close()
        res = drive(url, vols, args.clients, args.duration, noop=True)
        print(f"  baseline GET /api/: {res['n'] / args.duration:.0f} req/s, "
              f"p50 {statistics.median(res['ms']):.1f} ms, p95 {pct(res['ms'], 95):.1f} ms, "
              f"errors {res['errors']} {res['codes']}")  # fmt: skip
        before = Visit.objects.count()
        res = drive(url, vols, args.clients, args.duration, noop=False)
        stored = Visit.objects.count() - before
        print(f"  sync: {res['n']} batches, {res['visits'] / args.duration:.0f} visits/s "
              f"(distinct ids {len(res['ids'])}), p50 {statistics.median(res['ms']):.1f} ms, "
              f"p95 {pct(res['ms'], 95):.1f} ms, errors {res['errors']} {res['codes']}, "
              f"resent {res['resent']}; stored {stored} == distinct {len(res['ids'])}: "
              f"{stored == len(res['ids'])}")  # fmt: skip
        pids = children(server.pid)
        print("  server peak memory: " + ", ".join(f"{peak_rss_mb(p):.0f}" for p in pids)
              + " MB per worker")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)


def drive(url, vols, clients, duration, *, noop):
    """`clients` threads, each looping over its own volunteers until `duration` is up."""
    import http.client

    res = {"n": 0, "ms": [], "errors": 0, "visits": 0, "ids": set(), "resent": 0, "codes": {}}
    lock = threading.Lock()
    stop = time.time() + duration
    host, port = url.rsplit("/", 1)[1].split(":")

    def worker(k):
        rng = random.Random(k)
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        mine = vols[k::clients]
        i = 0
        while time.time() < stop:
            v = mine[i % len(mine)]
            i += 1
            hdr = {"Authorization": f"Token {v['token']}", "Content-Type": "application/json"}
            if noop:
                sends, body = 1, None
            else:
                hh = v["households"]
                body = json.dumps({"items": [visit_item(h[0], v["people"][h[0]]) for h in hh]})
                sends = 2 if rng.random() < 0.05 else 1
            for _ in range(sends):
                t = time.perf_counter()
                try:
                    conn.request("GET" if noop else "POST", NOOP if noop else SYNC, body, hdr)
                    r = conn.getresponse()
                    data = r.read()
                    ok, code = r.status == 200, r.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(host, int(port), timeout=60)
                    ok, data, code = False, b"", "cut"
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    res["n"] += 1
                    res["ms"].append(ms)
                    res["codes"][code] = res["codes"].get(code, 0) + 1
                    if not ok:
                        res["errors"] += 1
                    elif not noop:
                        answers = json.loads(data)["items"]
                        res["visits"] += sum(a["status"] == "ok" for a in answers)
                        res["ids"].update(a["client_id"] for a in answers)
                        res["resent"] += sends - 1 if _ == 0 else 0

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return res


if __name__ == "__main__":
    main()
