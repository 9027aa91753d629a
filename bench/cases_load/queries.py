"""SQL queries per request, counted in-process with Django's test client against the bench
database (the same middleware, authentication and views gunicorn runs)."""

import uuid

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .sample import Sample


def _count(client: Client, method: str, path: str, token: str, **extra) -> tuple[int, int, list]:
    headers = {"HTTP_AUTHORIZATION": f"Token {token}", **extra}
    with CaptureQueriesContext(connection) as ctx:
        if method == "GET":
            response = client.get(path, **headers)
        else:
            response = client.post(path, content_type="application/json", **headers)
    return response.status_code, len(ctx.captured_queries), ctx.captured_queries


def intake_body(sub: str, village: str, person: int) -> dict:
    return {
        "channel": "hotline",
        "call_type": "new",
        "subdistrict": sub,
        "village": village or None,
        "category": "elderly",
        "subcategory": "elderly_bedridden",
        "urgency": "normal",
        "risks": ["bedridden"],
        "parties": [
            {"role": "victim", "person_id": person},
            {"role": "family", "name": "ลูกสาว", "sex": "female", "age": 40},
        ],
        "reporter_name": "ผู้แจ้ง",
        "summary": "ขอความช่วยเหลือ",
    }


def count_queries(sample: Sample, *, verbose: bool = False) -> dict[str, list[int]]:
    """Query counts per endpoint over a few different requests each: the same count for a
    case with one party and one with three, or for page 1 and page 5, means no N+1."""
    import json

    client = Client()
    out: dict[str, list[int]] = {}
    statuses: dict[str, set[int]] = {}
    captured: dict[str, list] = {}

    def note(name, result):
        status, n, queries = result
        out.setdefault(name, []).append(n)
        statuses.setdefault(name, set()).add(status)
        captured.setdefault(name, queries)

    for token, ids in sample.workers[:3]:
        note("baseline GET /api/", _count(client, "GET", "/api/", token))
        note("GET /api/cases/?page=1", _count(client, "GET", "/api/cases/?page=1", token))
        note("GET /api/cases/?page=5", _count(client, "GET", "/api/cases/?page=5", token))
        for case_id in ids[:3]:
            note("GET /api/cases/<id>/", _count(client, "GET", f"/api/cases/{case_id}/", token))
    for token, places in sample.operators[:3]:
        sub, village, person = places[0]
        body = json.dumps(intake_body(sub, village, person))
        key = {"HTTP_IDEMPOTENCY_KEY": f"count-{uuid.uuid4().hex}"}
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                "/api/reports/", body, content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token}", **key,
            )  # fmt: skip
        note("POST /api/reports/", (response.status_code, len(ctx.captured_queries),
                                    ctx.captured_queries))  # fmt: skip
    for name, counts in out.items():
        print(f"  {name:<26} queries per request: {sorted(set(counts))}  "
              f"HTTP {sorted(statuses[name])}")  # fmt: skip
        if verbose:
            for q in captured[name]:
                print(f"      {q['sql'][:160]}")
    return out
