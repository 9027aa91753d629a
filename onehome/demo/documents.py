"""Identity and house-registration numbers for demo people: valid, unique and shaped like
real ones, but random, so no number belongs to a real person.

A Thai national ID is 13 digits: the person category (1 = born and registered on time since
1984, 3 = registered in the 1984 census, …), the 4-digit registration office (province +
district), 7 running digits and the mod-11 check digit from `stdnum.th.pin`. Cards for people
without Thai nationality use the same layout and check digit with a leading 0.
"""

import random

from stdnum.th import pin

# Registration offices outside Chiang Rai where people moving in were first registered.
_OTHER_OFFICES = ["1001", "1030", "5001", "5011", "5201", "5401", "5601", "5501", "3001", "4001"]


def digits(rng: random.Random, n: int) -> str:
    """``n`` random decimal digits."""
    return "".join(str(rng.randrange(10)) for _ in range(n))


class Documents:
    """Issues unique numbers for one load."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()
        self._house_serial: dict[str, int] = {}

    def _unique(self, make) -> str:
        while (number := make()) in self._used:
            pass
        self._used.add(number)
        return number

    def _office(self, district: str) -> str:
        return district if self._rng.random() < 0.8 else self._rng.choice(_OTHER_OFFICES)

    def _running(self, n: int) -> str:
        return digits(self._rng, n)

    def thai_id(self, *, birth_year: int, district: str) -> str:
        def make() -> str:
            if birth_year >= 1984:
                category = "1" if self._rng.random() < 0.93 else "2"
            else:
                category = "3" if self._rng.random() < 0.93 else "5"
            body = category + self._office(district) + self._running(7)
            return body + pin.calc_check_digit(body)

        return self._unique(make)

    def non_thai_id(self, *, district: str) -> str:
        def make() -> str:
            body = "0" + self._running(1) + district + self._running(6)
            return body + pin.calc_check_digit(body)

        return self._unique(make)

    def passport(self) -> str:
        """Passports of migrant workers from Myanmar, Laos and China (6–9 letters/digits)."""

        def make() -> str:
            style = self._rng.random()
            if style < 0.6:
                return "M" + self._rng.choice("ABCDEFGH") + self._running(6)
            if style < 0.85:
                return "P" + self._running(7)
            return "E" + self._running(8)

        return self._unique(make)

    def house_registration(self, *, district: str) -> str:
        """11 digits: registration office, running number, check digit."""
        serial = self._house_serial.get(district, self._rng.randrange(10_000, 200_000)) + 1
        self._house_serial[district] = serial
        body = f"{district}{serial:06d}"
        return body + str(sum(int(d) * (11 - i) for i, d in enumerate(body)) % 10)
