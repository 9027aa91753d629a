"""2,000,000 people in ~700,000 households: registry Person, Household and Membership rows
with the same search keys `registry.matching.set_search_keys` writes (computed once per
distinct name, then looked up by index).

Work goes in chunks of households, each chunk one transaction, so an interrupted run
resumes at the first chunk whose last household is missing.
"""

import datetime as dt

import numpy as np
from stdnum.th import pin
from tqdm import tqdm

from . import db
from .plan import SEED, Population, name_pools

CHUNK = 50_000  # households
DISABILITIES = ["visual", "hearing", "physical", "mental", "intellectual", "learning", "autism"]
TODAY = dt.date(2026, 11, 1)


def _keys(names: list[str]) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    from onehome.registry.matching import fold, normalise_name, romanised, sdx

    folded = [(fold(n).replace(" ", "")[:100], romanised(n)[:100]) for n in names]
    return [normalise_name(n) for n in names], [sdx(n) for n in names], folded


def create_people(cur, conn, pop: Population) -> None:
    female, male, last = name_pools()
    firsts = female + male
    first_norm, first_sdx, first_fr = _keys(firsts)
    last_norm, last_sdx, last_fr = _keys(last)
    chunks = range(0, pop.households, CHUNK)
    now = dt.datetime.now(dt.UTC).isoformat()
    with tqdm(total=pop.people, desc="people", unit="person") as bar:
        for start in chunks:
            end = min(start + CHUNK, pop.households)
            count = int(pop.sizes[start:end].sum())
            if db.exists(cur, "SELECT 1 FROM registry_household WHERE id = %s", [end]):
                bar.update(count)
                continue
            _chunk(cur, pop, start, end, now, firsts, len(female), first_norm, first_sdx,
                   last, last_norm, last_sdx, first_fr, last_fr)  # fmt: skip
            conn.commit()
            bar.update(count)


def _chunk(cur, pop, start, end, now, firsts, n_female, first_norm, first_sdx, last,
           last_norm, last_sdx, first_fr, last_fr) -> None:  # fmt: skip
    rng = np.random.default_rng([SEED, 10, start])
    hh = np.arange(start, end)
    subs = pop.geo.subdistricts[pop.household_sub[hh]]
    villages = pop.village_code(hh)
    house_no = rng.integers(1, 400, size=len(hh))
    db.copy_rows(
        cur,
        "registry_household",
        ["id", "house_no", "registration_no", "address_detail", "version", "created_at",
         "updated_at", "subdistrict_id", "village_id"],
        (
            (h + 1, f"{n}", f"{s[:4]}{h + 1:07d}", "", 1, now, now, s, v)
            for h, n, s, v in zip(hh.tolist(), house_no.tolist(), subs, villages, strict=True)
        ),
    )  # fmt: skip
    # Members: index 0 is the head, 1 the spouse, the rest children or grandchildren.
    first_p, last_p = (
        int(pop.first_person[start]),
        int(pop.first_person[start]) + int(pop.sizes[start:end].sum()),
    )
    persons = np.arange(first_p, last_p)
    p_hh = pop.person_household[persons]
    pos = persons - pop.first_person[p_hh]
    n = len(persons)
    head_age = rng.integers(25, 86, size=end - start)[p_hh - start]
    head_male = rng.random(end - start)[p_hh - start] < 0.55
    age = np.where(
        pos == 0,
        head_age,
        np.where(
            pos == 1,
            np.clip(head_age + rng.integers(-6, 7, size=n), 18, 99),
            np.clip(head_age - rng.integers(18, 41, size=n), 0, 80),
        ),
    )
    grandchild = (pos >= 2) & (head_age > 58) & (rng.random(n) < 0.5)
    age = np.where(grandchild, np.clip(head_age - rng.integers(40, 61, size=n), 0, 40), age)
    male = np.where(pos == 0, head_male, np.where(pos == 1, ~head_male, rng.random(n) < 0.5))
    first_i = np.where(
        male,
        n_female + rng.integers(0, len(firsts) - n_female, size=n),
        rng.integers(0, n_female, size=n),
    )
    family_last = rng.integers(0, len(last), size=end - start)[p_hh - start]
    own_last = (pos == 1) & (rng.random(n) < 0.5)
    last_i = np.where(own_last, rng.integers(0, len(last), n), family_last)
    birth = [TODAY - dt.timedelta(days=int(a) * 365 + int(d))
             for a, d in zip(age, rng.integers(0, 365, size=n), strict=True)]  # fmt: skip
    disability = np.where(rng.random(n) < 0.03, rng.integers(0, len(DISABILITIES), n), -1)
    p_subs = subs[p_hh - start]
    p_villages = [villages[h - start] for h in p_hh.tolist()]
    phones = rng.integers(10_000_000, 99_999_999, size=n)

    def person_rows():
        for k in range(n):
            pid = int(persons[k]) + 1
            body = f"{1 + pid % 8}{pid:011d}"
            a, is_male, p = int(age[k]), bool(male[k]), int(pos[k])
            if a < 15:
                title = "เด็กชาย" if is_male else "เด็กหญิง"
            else:
                title = "นาย" if is_male else ("นาง" if p <= 1 else "นางสาว")
            f, la = int(first_i[k]), int(last_i[k])
            yield (pid, "thai_id", body + pin.calc_check_digit(body), title, firsts[f], last[la],
                   "", "", f"{first_norm[f]} {last_norm[la]}".strip(), first_sdx[f], last_sdx[la],
                   "male" if is_male else "female", birth[k], False,
                   DISABILITIES[disability[k]] if disability[k] >= 0 else "",
                   f"08{phones[k]}" if p == 0 else "", "", False, 1, now, now, p_subs[k],
                   p_villages[k], first_fr[f][0], last_fr[la][0], first_fr[f][1],
                   last_fr[la][1])  # fmt: skip

    db.copy_rows(
        cur,
        "registry_person",
        ["id", "id_type", "id_number", "title", "first_name_th", "last_name_th", "first_name_en",
         "last_name_en", "name_key", "first_sdx", "last_sdx", "sex", "birth_date",
         "birth_date_approximate", "disability", "phone", "line_id", "no_fixed_address",
         "version", "created_at", "updated_at", "subdistrict_id", "village_id", "first_fold",
         "last_fold", "first_rom", "last_rom"],
        person_rows(),
    )  # fmt: skip
    relationship = np.where(
        pos == 0, "head", np.where(pos == 1, "spouse", np.where(grandchild, "grandchild", "child"))
    )
    since = dt.date(2015, 1, 1)
    db.copy_rows(
        cur,
        "registry_membership",
        ["id", "relationship", "start_date", "end_date", "end_reason", "household_id",
         "person_id"],
        (
            (int(p) + 1, r, max(b, since), None, "", int(h) + 1, int(p) + 1)
            for p, r, b, h in zip(persons, relationship, birth, p_hh, strict=True)
        ),
    )  # fmt: skip
