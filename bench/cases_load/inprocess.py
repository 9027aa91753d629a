"""CPU of one request, in-process: Django's test client against the bench database, with the
same middleware, authentication and views gunicorn runs. Python time is this process's CPU
time; PostgreSQL time is the CPU time of the connection's backend process (/proc), so the
two add up to what one request costs the machine without the HTTP server and wrk.

    .venv/bin/python -m bench.cases_load profile --modes list,detail,intake --requests 300
    .venv/bin/python -m bench.cases_load profile --modes list --cprofile   # where it goes
"""

import cProfile
import io
import json
import os
import pstats
import random
import time
import uuid
from pathlib import Path

from django.db import connection
from django.test import Client

from .queries import intake_body
from .sample import Sample


def _backend_cpu() -> float:
    pid = connection.connection.info.backend_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _requests(sample: Sample, mode: str, rng: random.Random):
    """(method, path, headers, body) like load.lua's, endlessly."""
    while True:
        if mode == "mix":  # as load.lua: 45 % list, 45 % detail, 10 % intake
            r = rng.random()
            kind = "list" if r < 0.45 else "detail" if r < 0.9 else "intake"
        else:
            kind = mode
        if kind == "intake":
            token, places = rng.choice(sample.operators)
            sub, village, person = rng.choice(places)
            headers = {
                "HTTP_AUTHORIZATION": f"Token {token}",
                "HTTP_IDEMPOTENCY_KEY": f"prof-{uuid.uuid4().hex}",
            }
            yield "POST", "/api/reports/", headers, json.dumps(intake_body(sub, village, person))
            continue
        token, ids = rng.choice(sample.workers)
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
        if kind == "list":
            page = 1 if rng.random() < 0.7 else rng.randint(2, 10)
            yield "GET", f"/api/cases/?page={page}", headers, None
        elif kind == "detail":
            yield "GET", f"/api/cases/{rng.choice(ids)}/", headers, None
        else:
            yield "GET", "/api/", headers, None


def profile(sample: Sample, *, modes: list[str], requests: int, use_cprofile: bool) -> None:
    client = Client()
    for mode in modes:
        rng = random.Random(11)
        source = _requests(sample, mode, rng)
        for _ in range(20):  # warm-up: imports, caches, prepared statements
            method, path, headers, body = next(source)
            _send(client, method, path, headers, body)
        profiler = cProfile.Profile() if use_cprofile else None
        py0, pg0, wall0 = time.process_time(), _backend_cpu(), time.perf_counter()
        statuses: dict[int, int] = {}
        if profiler:
            profiler.enable()
        for _ in range(requests):
            method, path, headers, body = next(source)
            status = _send(client, method, path, headers, body)
            statuses[status] = statuses.get(status, 0) + 1
        if profiler:
            profiler.disable()
        py = (time.process_time() - py0) * 1000 / requests
        pg = (_backend_cpu() - pg0) * 1000 / requests
        wall = (time.perf_counter() - wall0) * 1000 / requests
        print(f"  {mode:<8} Python {py:5.2f} ms + PostgreSQL {pg:5.2f} ms a request "
              f"(wall {wall:5.2f} ms; HTTP {statuses})")  # fmt: skip
        if profiler:
            out = io.StringIO()
            # PROF_SORT=tottime and PROF_N=80 show other views of the same profile.
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats(os.environ.get("PROF_SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("PROF_N", "45")))
            print(out.getvalue())


def _send(client: Client, method: str, path: str, headers: dict, body: str | None) -> int:
    if method == "POST":
        return client.post(path, body, content_type="application/json", **headers).status_code
    return client.get(path, **headers).status_code
