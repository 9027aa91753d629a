"""Serve the bench database with gunicorn and drive it with wrk: a baseline, each endpoint
alone, then the mix; print requests/s, latency percentiles, errors, queries per request and
the peak memory of the server processes.

wrk, not Locust: wrk is one C process that needs a few percent of one core for a few
hundred requests a second, while Locust's Python users would take a good part of one of
the only two cores away from the server being measured.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from .queries import count_queries
from .sample import Sample, draw

SCRIPT = Path(__file__).with_name("load.lua")
MODES = ["baseline", "list", "detail", "intake", "mix"]
LABELS = {
    "baseline": "baseline GET /api/ (auth only)",
    "list": "GET /api/cases/?page=N",
    "detail": "GET /api/cases/<id>/",
    "intake": "POST /api/reports/",
    "mix": "mix 45% list, 45% detail, 10% intake",
}


def lua_data(sample: Sample, mode: str) -> str:
    def workers():
        for token, ids in sample.workers:
            yield f'{{"{token}",{{{",".join(map(str, ids))}}}}}'

    def ops():
        for token, places in sample.operators:
            inner = ",".join(f'{{"{s}","{v}",{p}}}' for s, v, p in places)
            yield f'{{"{token}",{{{inner}}}}}'

    return (
        f'data = {{mode="{mode}", nonce="{uuid.uuid4().hex[:12]}",\n'
        f"workers={{{','.join(workers())}}},\nops={{{','.join(ops())}}}}}\n"
    )


def server_command(args) -> list[str]:
    """gunicorn (sync or gthread workers) or granian (WSGI), as production would run it."""
    bin_dir = Path(sys.executable).parent
    if args.server == "granian":
        return [str(bin_dir / "granian"), "--interface", "wsgi", "onehome.wsgi:application",
                "--workers", str(args.workers), "--blocking-threads", str(args.threads),
                "--host", "127.0.0.1", "--port", str(args.port), "--log-level", "warning",
                "--no-ws"]  # fmt: skip
    return [str(bin_dir / "gunicorn"), "onehome.wsgi",
            "--worker-class", args.worker_class,
            "--workers", str(args.workers), "--threads", str(args.threads),
            "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning",
            "--keep-alive", "75", "--timeout", "60",
            "--worker-connections", str(args.worker_connections),
            *(["--preload"] if args.preload else [])]  # fmt: skip


def start_server(args, root: Path) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=args.database_url, ONEHOME_CONN_MAX_AGE="60")
    env.update(dict(kv.split("=", 1) for kv in args.env))
    cmd = server_command(args)
    print("server:", " ".join(cmd[1:]), " ".join(args.env))
    server = subprocess.Popen(cmd, cwd=root, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/api/", timeout=2)  # noqa: S310
            return server
        except urllib.error.HTTPError:
            return server  # 401/403 without a token: the app answers
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("the server did not answer within 60 s")


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident memory) of one process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pss_mb(pid: int) -> float:
    """Proportional set size now (shared pages split between the processes sharing them)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """utime + stime of each live process, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


def server_pids(server: subprocess.Popen, url: str) -> list[int]:
    """The server processes and the PostgreSQL backends serving the bench database."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        backends = [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()").fetchall()]  # fmt: skip
    return descendants(server.pid) + backends


def descendants(pid: int) -> list[int]:
    """The server's own process and every process under it (gunicorn's or granian's workers)."""
    out, todo = [pid], [pid]
    while todo:
        kids = children(todo.pop())
        out += kids
        todo += kids
    return out


def wrk(args, sample: Sample, mode: str, duration: int, tmp: Path) -> dict:
    script = tmp / f"{mode}.lua"
    script.write_text(lua_data(sample, mode) + SCRIPT.read_text())
    cmd = ["wrk", "-t1", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s",
           "-s", str(script), f"http://127.0.0.1:{args.port}"]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"wrk failed: {proc.stdout}\n{proc.stderr}")
    out = proc.stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    ok = sum(n for code, n in result["codes"].items() if code in ("200", "201"))
    errors = result["connect"] + result["read"] + result["write"] + result["timeout"]
    result["errors"] = errors + result["requests"] - ok
    return result


def worker_shares(server: subprocess.Popen, used: dict[int, float]) -> str:
    """Each worker's part of the workers' CPU: kept-alive connections stay with the worker
    that accepted them, so an uneven spread shows here (one worker near 0 %)."""
    workers = descendants(server.pid)[1:]
    total = sum(used.get(p, 0.0) for p in workers) or 1.0
    shares = sorted((used.get(p, 0.0) / total for p in workers), reverse=True)
    return f"  {'':<40} workers' CPU shares {', '.join(f'{s:.0%}' for s in shares)}"


def row(name: str, r: dict) -> str:
    return (f"  {name:<40} {r['rps']:7.1f} req/s  p50 {r['p50'] / 1000:6.1f}  "
            f"p95 {r['p95'] / 1000:6.1f}  p99 {r['p99'] / 1000:6.1f} ms  "
            f"errors {r['errors']}/{r['requests']}  HTTP {r['codes']}\n"
            f"  {'':<40} server CPU {r['cpu_ms']:.1f} ms/request (server + PostgreSQL) "
            f"→ at most {2000 / r['cpu_ms']:.0f} req/s on 2 idle cores")  # fmt: skip


def run(args) -> None:
    from django.db import connection

    from onehome.cases.models import Case
    from onehome.registry.models import Person

    root = Path(__file__).resolve().parent.parent.parent
    print(f"database: {connection.settings_dict['NAME']}; "
          f"{Case.objects.count():,} cases, {Person.objects.count():,} people")  # fmt: skip
    sample = draw()
    print(f"sample: {len(sample.workers)} workers, {len(sample.operators)} operators")
    print("queries per request (Django test client, CaptureQueriesContext):")
    count_queries(sample, verbose=args.verbose)
    connection.close()
    server = start_server(args, root)
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            wrk(args, sample, "mix", 5, Path(tmp))  # warm-up: imports, caches, connections
            for mode in [m for m in MODES if m in args.modes.split(",")]:
                before = cpu_seconds(server_pids(server, args.database_url))
                results[mode] = wrk(args, sample, mode, args.duration, Path(tmp))
                after = cpu_seconds(server_pids(server, args.database_url))
                used = {pid: t - before.get(pid, 0.0) for pid, t in after.items()}
                results[mode]["cpu_ms"] = (
                    sum(used.values()) * 1000 / max(results[mode]["requests"], 1)
                )
                print(row(LABELS[mode], results[mode]), flush=True)
                print(worker_shares(server, used), flush=True)
        pids = descendants(server.pid)
        peaks = [peak_rss_mb(p) for p in pids]
        pss = sum(pss_mb(p) for p in pids)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"server: {len(pids) - 1} workers; peak RSS per process "
          f"{', '.join(f'{p:.0f}' for p in peaks)} MB; total {sum(peaks):.0f} MB; "
          f"PSS at the end {pss:.0f} MB")  # fmt: skip
    if "mix" not in results or "baseline" not in results:
        return
    mix, base = results["mix"], results["baseline"]
    print(f"mix vs baseline: {mix['rps'] / base['rps']:.2f}× the requests/s, "
          f"p95 {mix['p95'] / max(base['p95'], 1):.1f}× the baseline's")  # fmt: skip
    goal = mix["p95"] <= 100_000 and mix["rps"] >= 300 and mix["errors"] == 0
    print(f"goal (mix p95 ≤ 100 ms, ≥ 300 req/s, zero errors): {'met' if goal else 'NOT met'}")
