"""Plausible Thai names for demo villages and people.

Person names come from Faker's `th_TH` lists; village names are built from the words that
northern Thai village names are made of (ป่า, สัน, ดอย, ห้วย, แม่ … + ทราย, งาม, หลวง …).
English names are RTGS romanisations (PyThaiNLP's rule-based `royin` engine), cached because
the same few hundred words repeat across 60,000 people.
"""

import random
from functools import lru_cache

from faker import Faker
from pythainlp.transliterate import romanize

from onehome.registry.models import Sex

# First words of northern village names: landforms, water, trees.
_VILLAGE_HEADS = [
    "ป่า", "สัน", "ดอย", "ห้วย", "แม่", "หนอง", "ทุ่ง", "โป่ง", "ปง", "ต้น", "ร่อง", "ท่า",
    "ไร่", "นา", "ผา", "ม่อน", "ดง", "หัว", "สบ", "ศรี", "โค้ง", "บวก", "ฮ่อง", "เด่น",
]  # fmt: skip
_VILLAGE_TAILS = [
    "ทราย", "งาม", "หลวง", "แดง", "ขาม", "ซาง", "บัว", "ยาง", "สัก", "คำ", "ตอง", "ไคร้",
    "มะม่วง", "ทอง", "ก๋อง", "ฮ่าง", "เกลือ", "แก้ว", "เงิน", "ตึง", "เหียง", "ม่วง", "ขี้เหล็ก",
    "ดู่", "หว้า", "ไผ่", "ลาน", "จำปา", "ปูคา", "ยาว", "กลาง", "เจริญ", "สลี", "ผึ้ง", "ห้า",
]  # fmt: skip
# Villages split from an older one keep its name plus one of these.
_VILLAGE_SPLITS = ["ใหม่", "เหนือ", "ใต้", "พัฒนา", "สามัคคี"]


def village_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct village names for one sub-district, e.g. บ้านป่าซาง, บ้านสันทรายใหม่."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        if names and rng.random() < 0.15:
            name = rng.choice(names) + rng.choice(_VILLAGE_SPLITS)
        else:
            name = "บ้าน" + rng.choice(_VILLAGE_HEADS) + rng.choice(_VILLAGE_TAILS)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


@lru_cache(maxsize=4096)
def romanised(thai: str) -> str:
    """RTGS romanisation with a capital letter: ป่าซาง → Pasang."""
    return romanize(thai, engine="royin").capitalize() if thai else ""


def village_name_en(name_th: str) -> str:
    return "Ban " + romanised(name_th.removeprefix("บ้าน"))


class PersonNames:
    """Seeded Thai names. One instance per load keeps the sequence reproducible."""

    def __init__(self, seed: int) -> None:
        self._fake = Faker("th_TH")
        # Seeding the instance, not the shared `Faker.seed()`, leaves other Faker users alone.
        self._fake.seed_instance(seed)

    def first(self, sex: str) -> str:
        if sex == Sex.FEMALE:
            return self._fake.first_name_female()
        return self._fake.first_name_male()

    def last(self) -> str:
        return self._fake.last_name()


def title_for(*, sex: str, age: int, married: bool) -> str:
    """คำนำหน้า: children under 15 are เด็กชาย/เด็กหญิง; married women are usually นาง."""
    if age < 15:
        return "เด็กหญิง" if sex == Sex.FEMALE else "เด็กชาย"
    if sex == Sex.FEMALE:
        return "นาง" if married else "นางสาว"
    if sex == Sex.MALE:
        return "นาย"
    return ""
