"""Villages, the organisations that own cases, and the workers who read them (their API
tokens are issued when the sample is drawn: sample.py).

Each province gets a provincial office (พมจ.) and each district a social assistance centre
serving all its sub-districts, so `cases.routing` finds a unit for every intake. Users per
province: two social workers, a supervisor and a hotline operator at the provincial office
(province scope), and a centre worker (district scope) in up to three districts.
"""

import datetime as dt

from . import db
from .plan import Geography

PASSWORD = "bench-cases-password"  # noqa: S105  (a generated benchmark database only)
WORKER_ROLES = '["social_worker", "centre_staff"]'
DISTRICTS_WITH_WORKERS = 3


def create_villages(cur, geo: Geography) -> int:
    if db.exists(cur, "SELECT 1 FROM geo_village WHERE name_en = 'bench'"):
        return 0
    rows = (
        (f"{sub}{n:02d}", f"หมู่ที่ {n}", "bench", n, sub)
        for sub, count in zip(geo.subdistricts, geo.villages_per_sub, strict=True)
        for n in range(1, int(count) + 1)
    )
    return db.copy_rows(
        cur, "geo_village", ["code", "name_th", "name_en", "number", "subdistrict_id"], rows
    )


def create_organisations(cur) -> None:
    if db.exists(cur, "SELECT 1 FROM orgs_organisation WHERE code LIKE 'BENCH-%%'"):
        return
    cur.execute("SELECT code, name_th FROM geo_province ORDER BY code")
    provinces = cur.fetchall()
    cur.execute("SELECT code, name_th, province_id FROM geo_district ORDER BY code")
    districts = cur.fetchall()
    cols = ["code", "kind", "name_th", "name_en", "phone", "accepts_referrals", "contribution"]
    cols += ["province_id", "location_id"]
    rows = [
        (f"BENCH-PO-{p}", "provincial_office", f"สำนักงานพัฒนาสังคมฯ จังหวัด{name}", "", "", True,
         "", p, None)
        for p, name in provinces
    ]  # fmt: skip
    rows += [
        (f"BENCH-AC-{d}", "assistance_centre", f"ศูนย์ช่วยเหลือสังคม {name}", "", "", True, "",
         p, None)
        for d, name, p in districts
    ]  # fmt: skip
    db.copy_rows(cur, "orgs_organisation", cols, rows)
    cur.execute(
        "INSERT INTO orgs_organisation_serves (organisation_id, subdistrict_id) "
        "SELECT o.id, s.code FROM orgs_organisation o "
        "JOIN geo_subdistrict s ON o.code = 'BENCH-AC-' || s.district_id"
    )


def organisation_ids(cur) -> tuple[dict[str, int], dict[str, int]]:
    """(provincial office id by province code, centre id by district code)."""
    cur.execute("SELECT code, id FROM orgs_organisation WHERE code LIKE 'BENCH-%%'")
    offices, centres = {}, {}
    for code, pk in cur.fetchall():
        kind, area = code.split("-")[1:]
        (offices if kind == "PO" else centres)[area] = pk
    return offices, centres


def create_users(cur) -> None:
    if db.exists(cur, "SELECT 1 FROM access_user WHERE username LIKE 'bench_%%'"):
        return
    from django.contrib.auth.hashers import make_password

    password = make_password(PASSWORD)
    offices, centres = organisation_ids(cur)
    now = dt.datetime.now(dt.UTC).isoformat()
    people = []  # (username, roles, level, code, org)
    for p, office in sorted(offices.items()):
        people += [
            (f"bench_p{p}_sw1", WORKER_ROLES, "province", p, office),
            (f"bench_p{p}_sw2", WORKER_ROLES, "province", p, office),
            (f"bench_p{p}_sup", '["supervisor", "social_worker"]', "province", p, office),
            (f"bench_p{p}_op", '["hotline_operator"]', "province", p, office),
        ]
        for d in sorted(d for d in centres if d.startswith(p))[:DISTRICTS_WITH_WORKERS]:
            people.append((f"bench_d{d}", WORKER_ROLES, "district", d, centres[d]))
    cols = ["password", "is_superuser", "username", "first_name", "last_name", "email"]
    cols += ["is_staff", "is_active", "date_joined", "roles", "scope_level", "scope_code"]
    cols += ["organisation_id"]
    rows = (
        (password, False, u, u, "", "", False, True, now, roles, level, code, org)
        for u, roles, level, code, org in people
    )
    db.copy_rows(cur, "access_user", cols, rows)
    # API tokens are issued when the sample is drawn (sample.py): the database keeps only
    # their digests, so a token made here could not be read back.


def workers(cur) -> dict[str, dict[str, list[int]]]:
    """User ids by kind: 'province' → [sw1, sw2] per province code; 'district' → [id] per
    district code; 'operator' → [id] per province code."""
    cur.execute("SELECT id, username FROM access_user WHERE username LIKE 'bench_%%' ORDER BY id")
    out: dict[str, dict[str, list[int]]] = {"province": {}, "district": {}, "operator": {}}
    for uid, name in cur.fetchall():
        _, area, *rest = name.split("_")
        if area.startswith("d"):
            out["district"].setdefault(area[1:], []).append(uid)
        elif rest == ["op"]:
            out["operator"].setdefault(area[1:], []).append(uid)
        elif rest[0].startswith("sw"):
            out["province"].setdefault(area[1:], []).append(uid)
    return out
