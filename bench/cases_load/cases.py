"""1,000,000 cases, each with its report, parties linked to registry people, a lead worker
(sometimes a second), and a timeline of a few events.

A case starts from a victim drawn from the generated people, so cases follow the
population over all provinces. Owners follow `cases.routing`: sensitive or critical cases
go to the provincial office, the rest to the district's social assistance centre.
Sensitivity comes from `cases.catalogue`, the same rule the app applies (≈ 8% of cases).

Ids are derived from the case number (party = case·4 + slot, event = case·8 + slot,
assignment = case·2 + slot) so that chunks are independent and a resumed run writes
exactly what an uninterrupted one would have.
"""

import datetime as dt

import numpy as np
from tqdm import tqdm

from . import db
from .plan import SEED, Population

CHUNK = 50_000
NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
SPAN_DAYS = 1900  # about five years of hotline cases (≈ 190,000 a year)
CATEGORY_WEIGHTS = {
    "elderly": 26, "children_youth": 15, "disabled": 12, "homeless": 12, "drugs": 11,
    "violence": 7, "teen_pregnancy": 6, "missing_persons": 6, "beggars": 4, "trafficking": 1,
}  # fmt: skip
CHANNELS = (["hotline", "line", "web", "walk_in", "volunteer", "partner"],
            [0.60, 0.10, 0.08, 0.12, 0.07, 0.03])  # fmt: skip
OPEN_STATUSES = (
    ["waiting", "assessing", "referred", "assistance_reported", "assistance_done",
     "closure_requested"],
    [0.10, 0.35, 0.20, 0.15, 0.12, 0.08],
)  # fmt: skip
RISKS = {"violence": '["violence"]', "trafficking": '["trafficking"]', "drugs": '["drugs"]',
         "homeless": '["no_food"]', "elderly": '["bedridden"]'}  # fmt: skip
SLA_HOURS = {"critical": 1, "urgent": 24, "normal": 72}
RELATIONS = ["เพื่อนบ้าน", "ญาติ", "ผู้ใหญ่บ้าน", "ครู", "ตนเอง", "อสม."]


def _catalogue():
    from onehome.cases.intake import catalogue

    cats, weights, subs, sensitive, titles = [], [], [], [], []
    for code, weight in CATEGORY_WEIGHTS.items():
        issue = catalogue.issue(code)
        if issue is None:
            continue
        for sub in issue.subs:
            cats.append(code)
            weights.append(weight / len(issue.subs))
            subs.append(sub.code)
            sensitive.append(catalogue.is_sensitive(code, sub.code))
            titles.append(f"{issue.th}: {sub.th}")
    w = np.array(weights)
    return cats, subs, np.array(sensitive), titles, w / w.sum()


def _iso(seconds: np.ndarray) -> np.ndarray:
    """Epoch seconds → ISO timestamps in UTC, vectorised."""
    return np.char.add(seconds.astype("datetime64[s]").astype(str), "+00")


def create_cases(cur, conn, pop: Population, total: int, offices, centres, workers) -> None:
    for table, upto in [("cases_case", total), ("cases_report", total),
                        ("cases_party", total * 4 + 4), ("cases_caseevent", total * 8 + 8),
                        ("cases_caseworker", total * 2 + 2)]:  # fmt: skip
        db.reserve_ids(cur, table, upto)
    conn.commit()
    cat = _catalogue()
    with tqdm(total=total, desc="cases", unit="case") as bar:
        for start in range(0, total, CHUNK):
            end = min(start + CHUNK, total)
            if not db.exists(cur, "SELECT 1 FROM cases_case WHERE id = %s", [end]):
                _chunk(cur, pop, start, end, cat, offices, centres, workers)
                conn.commit()
            bar.update(end - start)


def _chunk(cur, pop: Population, start, end, cat, offices, centres, workers) -> None:
    cats, subcats, sens_of, titles, weights = cat
    rng = np.random.default_rng([SEED, 20, start])
    n = end - start
    ids = np.arange(start + 1, end + 1)
    victim = rng.integers(0, pop.people, size=n)
    hh = pop.person_household[victim]
    sub = pop.geo.subdistricts[pop.household_sub[hh]]
    village = pop.village_code(hh)
    kind = rng.choice(len(cats), size=n, p=weights)
    sensitive = sens_of[kind]
    urgency = np.where(
        rng.random(n) < np.where(sensitive, 0.35, 0.08),
        "critical",
        np.where(rng.random(n) < 0.33, "urgent", "normal"),
    )
    opened = NOW.timestamp() - (rng.random(n) ** 0.9) * SPAN_DAYS * 86400
    age_days = (NOW.timestamp() - opened) / 86400
    p_closed = np.where(age_days > 180, 0.93, np.where(age_days > 30, 0.6, 0.15))
    closed = rng.random(n) < p_closed
    status = np.where(closed, "closed", rng.choice(OPEN_STATUSES[0], size=n, p=OPEN_STATUSES[1]))
    closed_at = np.minimum(opened + rng.uniform(3, 120, n) * 86400, NOW.timestamp())
    due = opened + np.array([SLA_HOURS[u] for u in urgency]) * 3600
    received = opened - rng.uniform(60, 3600, n)
    opened_s, closed_s, due_s, recv_s = _iso(opened), _iso(closed_at), _iso(due), _iso(received)
    assessing_s = _iso(opened + rng.uniform(0.2, 48, n) * 3600)
    note_s = _iso(opened + rng.uniform(2, 30, n) * 86400)
    to_provincial = sensitive | (urgency == "critical")
    channel = rng.choice(CHANNELS[0], size=n, p=CHANNELS[1])
    second = rng.random(n) < 0.2
    has_note = rng.random(n) < 0.5
    family = rng.random(n) < 0.4
    offender = (np.array(cats)[kind] == "violence") & (rng.random(n) < 0.7)
    anonymous = rng.random(n) < 0.3
    pick = rng.integers(0, 2, size=n)

    case_rows, report_rows, worker_rows, event_rows, party_rows = [], [], [], [], []
    for k in range(n):
        cid, s = int(ids[k]), str(sub[k])
        province, district = s[:2], s[:4]
        prov_workers = workers["province"][province]
        district_worker = workers["district"].get(district)
        owner = offices[province] if to_provincial[k] else centres[district]
        if district_worker and not to_provincial[k]:
            lead = district_worker[0]
        else:
            lead = prov_workers[pick[k]]
        kk, st, v = int(kind[k]), str(status[k]), village[k]
        is_closed = st == "closed"
        household = int(hh[k]) + 1
        case_rows.append((
            cid, f"BC{cid:08d}", st, urgency[k], cats[kk], subcats[kk], bool(sensitive[k]),
            titles[kk], opened_s[k], closed_s[k] if is_closed else None,
            None if is_closed else due_s[k], None, 0, "", 1, household, owner, s, v,
        ))  # fmt: skip
        report_rows.append((
            cid, f"BR{cid:08d}", channel[k], "new", "accepted", recv_s[k], bool(anonymous[k]),
            "" if anonymous[k] else "ผู้แจ้ง", "" if anonymous[k] else "0812345678",
            RELATIONS[cid % len(RELATIONS)], recv_s[k], "", cats[kk], subcats[kk],
            RISKS.get(cats[kk], "[]"), urgency[k], titles[kk], due_s[k], "", None, None, 1, cid,
            workers["operator"][province][0], owner, s, v, bool(sensitive[k]),
        ))  # fmt: skip
        worker_rows.append((cid * 2, True, opened_s[k], cid, lead))
        if second[k] and prov_workers[1 - pick[k]] != lead:
            worker_rows.append((cid * 2 + 1, False, assessing_s[k], cid, prov_workers[1 - pick[k]]))
        event_rows.append((cid * 8, recv_s[k], "report", "", "", "", "{}", None, cid, owner))
        if st != "waiting":
            event_rows.append(
                (cid * 8 + 1, assessing_s[k], "transition", "waiting", "assessing",
                 "รับเรื่องและเริ่มประเมิน", "{}", lead, cid, owner)
            )  # fmt: skip
        if has_note[k] and st != "waiting":
            event_rows.append(
                (cid * 8 + 2, note_s[k], "note", "", "", "เยี่ยมบ้านและพูดคุยกับครอบครัว", "{}",
                 lead, cid, owner)
            )  # fmt: skip
        if st not in ("waiting", "assessing"):
            event_rows.append(
                (cid * 8 + 3, closed_s[k] if is_closed else note_s[k], "transition", "assessing",
                 st, "", "{}", lead, cid, owner)
            )  # fmt: skip
        victim_id = int(victim[k]) + 1
        party_rows.append((cid * 4, "victim", "", "", None, "", victim_id, cid))
        size = int(pop.sizes[hh[k]])
        head = int(pop.first_person[hh[k]]) + 1
        if family[k]:
            if size > 1:
                other = head + (victim_id - head + 1) % size
                party_rows.append((cid * 4 + 1, "family", "", "", None, "", other, cid))
            else:
                party_rows.append(
                    (cid * 4 + 1, "family", "ญาติ (ไม่ทราบชื่อ)", "", None, "อยู่ต่างอำเภอ", None,
                     cid)
                )  # fmt: skip
        if offender[k]:
            linked = head if head != victim_id else None
            party_rows.append(
                (cid * 4 + 2, "alleged_offender", "" if linked else "ไม่ทราบชื่อ", "male",
                 None if linked else 40, "", linked, cid)
            )  # fmt: skip

    db.copy_rows(cur, "cases_case",
                 ["id", "number", "status", "urgency", "category", "subcategory", "sensitive",
                  "title", "opened_at", "closed_at", "due_at", "paused_at", "escalation_level",
                  "status_before_closure", "version", "household_id", "owner_id",
                  "subdistrict_id", "village_id"], case_rows)  # fmt: skip
    db.copy_rows(cur, "cases_report",
                 ["id", "reference", "channel", "call_type", "status", "received_at",
                  "reporter_anonymous", "reporter_name", "reporter_phone", "reporter_relation",
                  "occurred_at", "address", "category", "subcategory", "risks", "urgency",
                  "summary", "due_at", "closed_reason", "closed_at", "idempotency_key",
                  "version", "case_id", "created_by_id", "routed_to_id", "subdistrict_id",
                  "village_id", "sensitive"], report_rows)  # fmt: skip
    db.copy_rows(cur, "cases_caseworker", ["id", "lead", "assigned_at", "case_id", "user_id"],
                 worker_rows)  # fmt: skip
    db.copy_rows(cur, "cases_caseevent",
                 ["id", "at", "kind", "from_status", "to_status", "text", "data", "actor_id",
                  "case_id", "organisation_id"], event_rows)  # fmt: skip
    db.copy_rows(cur, "cases_party",
                 ["id", "role", "name", "sex", "age", "description", "person_id", "report_id"],
                 party_rows)  # fmt: skip
