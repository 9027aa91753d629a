"""Counts and rates of targeting results as a user may see them: exact for personal-data
roles inside their own area; everywhere else small cells (< 5) are suppressed
(`access.disclosure`), and so is a rate whose numerator is such a cell, since rate × n would
give the count back. A worker in Bangkok sees Chiang Rai's villages as an analyst does.

A small cell hidden in a table whose cells add up to a shown total could be recovered by
subtraction, so `Cells.protect` hides more cells (`access.disclosure.
complementary_suppression`): those show as "–", and so does every rate built on one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from onehome.access.disclosure import SMALL_CELL, Sum, complementary_suppression, shown_count
from onehome.access.scope import area_in_scope

WITHHELD = "–"

# A cell of a page: (area code, column), e.g. ("57", "q") or ("57", "subset:3").
Key = tuple[str, str]


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


class Cells:
    """Counts and rates of the area ``code`` ("" for the nation) as this user may see them."""

    def __init__(self, user, code: str = "", *, _hidden: list | None = None) -> None:
        self.user = user
        self.exact = area_in_scope(user, code)  # personal-data roles only, inside their area
        self._hidden = [] if _hidden is None else _hidden  # shared with `within`'s cells

    def within(self, code: str) -> Cells:
        """The same user's cells of another area (a child row of a page)."""
        return Cells(self.user, code, _hidden=self._hidden)

    def protect(self, values: Mapping[Key, int], sums: Iterable[Sum]) -> set[Key]:
        """The cells of ``values`` to hide: the small ones outside the user's own area, and
        those that would let one of them be derived from a total in ``sums``. The user's
        own (exact) cells are never hidden: they know them anyway."""
        exact = {area: self.within(area).exact for area in {area for area, _ in values}}
        small = {k for k, n in values.items() if not exact[k[0]] and 0 < n < SMALL_CELL}
        known = {k for k in values if exact[k[0]]}
        return complementary_suppression(values, small, sums, known=known)

    @property
    def hid_any(self) -> bool:
        """Whether this page's cells (these and those ``within`` them) hid a small cell:
        the page then says what "<5" and "–" mean."""
        return bool(self._hidden)

    def _small(self, n: int) -> bool:
        small = not self.exact and 0 < n < SMALL_CELL
        if small:
            self._hidden.append(n)
        return small

    def count(self, value, *, withheld: bool = False) -> str:
        """The count as shown; ``withheld``: hidden by `protect` to guard a small cell."""
        n = int(value or 0)
        if self._small(n):
            return shown_count(n, user=self.user, exact=self.exact)
        if withheld:
            self._hidden.append(n)
            return WITHHELD
        return shown_count(n, user=self.user, exact=self.exact)

    def rate(self, numerator, denominator, *, withheld: bool = False) -> float | None:
        """``withheld``: the numerator or denominator is hidden by `protect`."""
        numerator, denominator = int(numerator or 0), int(denominator or 0)
        if not denominator or self._small(numerator) or withheld:
            return None
        return numerator / denominator

    def ratio(self, value, numerator, *, withheld: bool = False) -> float | None:
        """A measure (H, A, M0) shown only when its numerator is not a small cell and no
        count it is built on is ``withheld``."""
        if value is None or value != value:
            return None
        if self._small(int(numerator or 0)) or withheld:
            return None
        return float(value)
