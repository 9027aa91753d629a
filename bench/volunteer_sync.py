"""Volunteer app restore and sync on PostgreSQL (issue 16, point 6 and "Performance").

    createdb -h 127.0.0.1 -U postgres onehome_bench_volunteers
    .venv/bin/python bench/volunteer_sync.py \
        --database-url postgres://postgres@127.0.0.1:5432/onehome_bench_volunteers

Builds its own data once, in SQL (`volunteer_sync_data.py`; resumable): the issue's scale
by default, 97,508 volunteers round the country's sub-districts, each with a login and 10
assigned households of 3 (975,080), then unassigned households up to 1,000,000; one earlier
visit per assigned household, a development plan with two open goals and a due visit for
half of them. Then measures, with the same API tokens the phone uses:

(a) restore, `GET /api/volunteers/app/package/` per volunteer, in-process (Django test
    client): p50/p95 ms, queries per request (must not grow with households), bytes gzipped;
    and one volunteer given 30 households (rolled back afterwards);
(b) sync, `POST /api/volunteers/app/sync/` with a batch of 3 visits + 1 help request +
    1 household edit + 1 member edit per volunteer: items/s, p95 per batch, queries; then the
    same batches again (all duplicates: nothing may be written);
(c) the month-end burst against gunicorn as `docs/operations.md` runs it (gthread, 4
    workers × 2 threads): K client threads sending batches of 10 new visits for different
    volunteers for `--duration` seconds, 5 % of batches sent twice, 1 % of requests cut off
    by the client and retried (`drive`); visits/s stored, p50/p95 per batch, errors, and
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
    generate,
    volunteers_with_tokens,
)

PACKAGE, SYNC, NOOP = "/api/volunteers/app/package/", "/api/volunteers/app/sync/", "/api/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--volunteers", type=int, default=97_508)
    parser.add_argument("--households", type=int, default=1_000_000, help="in all")
    parser.add_argument("--members", type=int, default=3, help="people per household")
    parser.add_argument("--restores", type=int, default=200, help="volunteers restored (a)")
    parser.add_argument("--syncs", type=int, default=100, help="volunteers syncing (b)")
    parser.add_argument("--senders", type=int, default=3000, help="volunteers syncing (c)")
    parser.add_argument("--rate", type=int, default=33, help="sync batches per second (c)")
    parser.add_argument("--restore-rate", type=int, default=20, help="restores a second (c)")
    parser.add_argument("--clients", type=int, default=32, help="client threads (c)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of burst (c)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (c)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (c)")
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--no-server", action="store_true", help="skip (c)")
    parser.add_argument("--data-only", action="store_true", help="build the data and stop")
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
    generate(args.volunteers, args.households, args.members)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"data ready in {time.perf_counter() - t0:.0f} s; database: {connection.vendor}")
    if args.data_only:
        return
    rng = random.Random(16)
    vols = volunteers_with_tokens(rng, max(args.restores, args.syncs, args.senders))
    fuller = volunteers_with_tokens(rng, args.restores, households=30)
    restore(vols[: args.restores], fuller)
    sync(vols[: args.syncs])
    if not args.no_server:
        burst(args, vols[: args.senders], fuller)
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


def restore(vols, fuller) -> None:
    from django.test import Client

    client = Client()
    print(f"\n(a) restore: {len(vols)} volunteers of 10 households, {len(fuller)} of 30")
    for v in vols[:5]:  # warm-up (imports, questionnaire, first connection)
        timed(client, "GET", PACKAGE, v["token"])
    base, qb = [], []
    for v in vols:
        r, ms, q = timed(client, "GET", NOOP, v["token"])
        assert r.status_code == 200, r.status_code
        base.append(ms), qb.append(q)
    line("baseline GET /api/", base, qb)
    for group in (vols, fuller):
        ms_, qs, sizes, n = [], [], [], set()
        for v in group:
            r, ms, q = timed(client, "GET", PACKAGE, v["token"])
            assert r.status_code == 200, (r.status_code, r.content[:300])
            n.add(len(r.json()["households"]))
            ms_.append(ms), qs.append(q), sizes.append(len(gzip.compress(r.content)))
        size = f"  {statistics.mean(sizes) / 1024:.1f} KB gzipped (max {max(sizes) / 1024:.1f})"
        line(f"GET package, {'/'.join(map(str, sorted(n)))} households", ms_, qs, size)


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
    tens, qt, statuses = [], [], {}
    for v in vols:
        batch = {"items": [visit_item(h[0], v["people"][h[0]]) for h in v["households"]]}
        r, ms, q = timed(client, "POST", SYNC, v["token"], batch)
        for a in r.json()["items"]:
            statuses[a["status"]] = statuses.get(a["status"], 0) + 1
        tens.append(ms), qt.append(q)
    line(
        "POST sync, 10 new visits",
        tens,
        qt,
        f"  {10 * len(tens) / (sum(tens) / 1000):.0f} visits/s",
    )
    print(f"    answers {statuses}")


# ---------------------------------------------------------------- (c)


def burst(args, vols, fuller) -> None:
    from django.db import connection

    from bench.cases_load.runner import children, peak_rss_mb
    from onehome.volunteers.models import Visit

    print(f"\n(c) month-end load on gunicorn gthread {args.workers}×{args.threads}: requests "
          f"sent at a fixed rate for {args.duration} s each part (latency from the moment "
          f"each was due), {args.clients} client threads")  # fmt: skip
    env = dict(os.environ, DATABASE_URL=args.database_url, ONEHOME_CONN_MAX_AGE="60")
    cmd = [str(Path(sys.executable).parent / "gunicorn"), "onehome.wsgi", "--worker-class",
           "gthread", "--workers", str(args.workers), "--threads", str(args.threads),
           "--keep-alive", "75", "--worker-connections", "5",
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
        parts = [(args.rate, "noop"), (args.rate, "sync"),
                 (args.restore_rate, "noop"), (args.restore_rate, "restore")]  # fmt: skip
        for rate, what in parts:
            before = Visit.objects.count()
            res = drive(url, fuller if what == "restore" else vols, what, rate, args)
            stored = Visit.objects.count() - before
            ms = res["ms"]
            head = (f"  {what:<8} {rate:>3}/s offered: {res['n'] / args.duration:5.1f}/s done, "
                    f"p50 {statistics.median(ms):6.1f} ms, p95 {pct(ms, 95):6.1f} ms, "
                    f"errors {res['errors']} {res['codes']}")  # fmt: skip
            if what == "sync":
                head += (f"\n           {stored / args.duration:.0f} visits/s stored; answers "
                         f"{res['statuses']}; sent twice {res['resent']}, cut off and retried "
                         f"{res['cut']}; stored {stored} == distinct ids {len(res['ids'])}: "
                         f"{stored == len(res['ids'])}")  # fmt: skip
            if what == "restore":
                head += f", {statistics.mean(res['sizes']) / 1024:.1f} KB gzipped"
            print(head, flush=True)
        pids = children(server.pid)
        print("  server peak memory: " + ", ".join(f"{peak_rss_mb(p):.0f}" for p in pids)
              + " MB per worker")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)


def drive(url, vols, what, rate, args):
    """Send `what` ("noop", "sync" or "restore") at `rate` requests a second for
    `args.duration` seconds from `args.clients` threads, each volunteer in turn. The
    latency of a request counts from the moment it was due, so a server falling behind
    shows as latency, not as fewer requests sent (no coordinated omission).
    Sync: each batch is 10 new visits of the volunteer's households; 5 % of batches are
    sent again after their answer (every item must come back "duplicate"); 1 % of requests
    are cut off by the client, half in the middle of the body and half after the whole
    request but before the answer (the server may have written it), and sent again on a new
    connection. Errors: any answer but 200, and any item answered neither "ok" nor
    "duplicate"."""
    import http.client

    res = {"n": 0, "ms": [], "errors": 0, "ids": set(), "resent": 0, "cut": 0, "codes": {},
           "statuses": {}, "sizes": []}  # fmt: skip
    lock = threading.Lock()
    start = time.perf_counter() + 0.5
    total = int(rate * args.duration)
    counter = iter(range(total))
    host, port = url.rsplit("/", 1)[1].split(":")
    connect = lambda: http.client.HTTPConnection(host, int(port), timeout=60)  # noqa: E731

    def cut_off(body, hdr, rng) -> None:
        conn = connect()
        if rng.random() < 0.5:  # in the middle of the body
            conn.putrequest("POST", SYNC)
            for name, value in {**hdr, "Content-Length": str(len(body))}.items():
                conn.putheader(name, value)
            conn.endheaders()
            conn.send(body[: len(body) // 2])
        else:  # the whole request, then gone before the answer
            conn.request("POST", SYNC, body, hdr)
        conn.close()

    def send(conn, method, path, body, hdr):
        try:
            conn.request(method, path, body, hdr)
            r = conn.getresponse()
            return conn, r.status, r.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            return connect(), "connection lost", b""

    def worker(k):
        rng = random.Random(k)
        conn = connect()
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            due = start + i / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            v = vols[i % len(vols)]
            hdr = {"Authorization": f"Token {v['token']}", "Content-Type": "application/json"}
            method, path, body, sends = "GET", NOOP if what == "noop" else PACKAGE, None, 1
            if what == "sync":
                items = [visit_item(h[0], v["people"][h[0]]) for h in v["households"]]
                method, path, body = "POST", SYNC, json.dumps({"items": items}).encode()
                sends = 2 if rng.random() < 0.05 else 1
                with lock:
                    res["ids"].update(it["client_id"] for it in items)
                if rng.random() < 0.01:
                    cut_off(body, hdr, rng)
                    with lock:
                        res["cut"] += 1
            for attempt in range(sends):
                conn, code, data = send(conn, method, path, body, hdr)
                ms = (time.perf_counter() - due) * 1000
                with lock:
                    res["n"] += 1
                    res["ms"].append(ms)
                    res["codes"][code] = res["codes"].get(code, 0) + 1
                    res["resent"] += attempt
                    if code != 200:
                        res["errors"] += 1
                    elif what == "sync":
                        for a in json.loads(data)["items"]:
                            res["statuses"][a["status"]] = res["statuses"].get(a["status"], 0) + 1
                            res["errors"] += a["status"] not in ("ok", "duplicate")
                    elif what == "restore":
                        res["sizes"].append(len(gzip.compress(data)))
                due = time.perf_counter()  # the second send is due at once

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return res


if __name__ == "__main__":
    main()
