"""The shape of the generated country, decided up front from fixed seeds so that every run
(and every resumed run) draws the same rows: which province and sub-district each household
lives in, how many people it has, and the name pools.

Provinces are weighted by their registered population (DOPA, end of 2023, thousands,
rounded); inside a province every sub-district is equally likely.
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np

SEED = 20261121

# DOPA registered population at the end of 2023, in thousands (rounded).
PROVINCE_POPULATION = {
    "10": 5471, "11": 1361, "12": 1291, "13": 1201, "14": 822, "15": 275, "16": 751,
    "17": 207, "18": 323, "19": 646, "20": 1594, "21": 767, "22": 537, "23": 231,
    "24": 727, "25": 498, "26": 261, "27": 567, "30": 2635, "31": 1580, "32": 1396,
    "33": 1472, "34": 1870, "35": 532, "36": 1126, "37": 378, "38": 424, "39": 512,
    "40": 1790, "41": 1586, "42": 641, "43": 521, "44": 960, "45": 1306, "46": 975,
    "47": 1150, "48": 718, "49": 352, "50": 1789, "51": 405, "52": 737, "53": 452,
    "54": 436, "55": 478, "56": 470, "57": 1298, "58": 284, "60": 1059, "61": 328,
    "62": 727, "63": 665, "64": 592, "65": 850, "66": 532, "67": 991, "70": 873,
    "71": 895, "72": 845, "73": 920, "74": 590, "75": 191, "76": 485, "77": 557,
    "80": 1552, "81": 480, "82": 268, "83": 418, "84": 1072, "85": 193, "86": 511,
    "90": 1432, "91": 325, "92": 643, "93": 524, "94": 725, "95": 536, "96": 808,
}  # fmt: skip

# Household sizes 1..7 (mean ≈ 2.86, like the 2.8–2.9 of Thai censuses).
SIZE_WEIGHTS = np.array([0.20, 0.25, 0.22, 0.17, 0.09, 0.05, 0.02])


@dataclass
class Geography:
    subdistricts: np.ndarray  # codes, sorted
    province_of: np.ndarray  # province code per sub-district
    villages_per_sub: np.ndarray  # how many villages (หมู่) each sub-district has


def load_geography_arrays(cursor) -> Geography:
    cursor.execute("SELECT code, province_id FROM geo_subdistrict ORDER BY code")
    rows = cursor.fetchall()
    subs = np.array([r[0] for r in rows])
    provs = np.array([r[1] for r in rows])
    rng = np.random.default_rng([SEED, 1])
    villages = rng.integers(4, 21, size=len(subs))
    # Bangkok's แขวง have no หมู่บ้าน.
    villages[np.char.startswith(subs.astype(str), "10")] = 0
    return Geography(subdistricts=subs, province_of=provs, villages_per_sub=villages)


@dataclass
class Population:
    """Households and people, as arrays indexed by household and by person (0-based)."""

    geo: Geography
    households: int
    people: int

    @cached_property
    def household_sub(self) -> np.ndarray:
        """Index into geo.subdistricts of each household's sub-district."""
        geo = self.geo
        rng = np.random.default_rng([SEED, 2])
        provinces = sorted(set(geo.province_of.tolist()))
        weights = np.array([PROVINCE_POPULATION.get(p, 300) for p in provinces], dtype=float)
        chosen = rng.choice(len(provinces), size=self.households, p=weights / weights.sum())
        subs_by_province = [np.flatnonzero(geo.province_of == p) for p in provinces]
        out = np.empty(self.households, dtype=np.int32)
        for i, subs in enumerate(subs_by_province):
            where = np.flatnonzero(chosen == i)
            out[where] = subs[rng.integers(0, len(subs), size=len(where))]
        return out

    @cached_property
    def household_village(self) -> np.ndarray:
        """Village number (1-based) of each household, 0 where the area has no villages."""
        rng = np.random.default_rng([SEED, 3])
        n = self.geo.villages_per_sub[self.household_sub]
        return np.where(n > 0, (rng.random(self.households) * np.maximum(n, 1)).astype(int) + 1, 0)

    @cached_property
    def sizes(self) -> np.ndarray:
        rng = np.random.default_rng([SEED, 4])
        sizes = rng.choice(np.arange(1, 8), size=self.households, p=SIZE_WEIGHTS)
        diff = self.people - int(sizes.sum())
        # Nudge random households up or down until the total is exact.
        while diff:
            pick = rng.integers(0, self.households, size=abs(diff))
            if diff > 0:
                np.add.at(sizes, pick, 1)
            else:
                ok = pick[sizes[pick] > 1]
                np.subtract.at(sizes, ok, 1)
                sizes = np.maximum(sizes, 1)
            diff = self.people - int(sizes.sum())
        return sizes

    @cached_property
    def first_person(self) -> np.ndarray:
        """0-based index of each household's first member (its head)."""
        return np.concatenate([[0], np.cumsum(self.sizes)[:-1]])

    @cached_property
    def person_household(self) -> np.ndarray:
        return np.repeat(np.arange(self.households, dtype=np.int32), self.sizes)

    def village_code(self, household: np.ndarray) -> list[str | None]:
        subs = self.geo.subdistricts[self.household_sub[household]]
        numbers = self.household_village[household]
        return [f"{s}{n:02d}" if n else None for s, n in zip(subs, numbers, strict=True)]


def name_pools(seed: int = SEED) -> tuple[list[str], list[str], list[str]]:
    """Distinct Thai female first names, male first names and last names (Faker th_TH)."""
    from faker import Faker

    fake = Faker("th_TH")
    fake.seed_instance(seed)
    female = sorted({fake.first_name_female() for _ in range(3000)})
    male = sorted({fake.first_name_male() for _ in range(3000)})
    last = sorted({fake.last_name() for _ in range(8000)})
    return female, male, last
