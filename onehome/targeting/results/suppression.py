"""Counts and rates of targeting results as a user may see them: exact for personal-data
roles inside their own area; everywhere else small cells (< 5) are suppressed
(`access.disclosure`), and so is a rate whose numerator is such a cell, since rate × n would
give the count back. A worker in Bangkok sees Chiang Rai's villages as an analyst does."""

from __future__ import annotations

from onehome.access.disclosure import SMALL_CELL, shown_count
from onehome.access.scope import area_in_scope


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

    def count(self, value) -> str:
        n = int(value or 0)
        self._small(n)
        return shown_count(n, user=self.user, exact=self.exact)

    def rate(self, numerator, denominator) -> float | None:
        numerator, denominator = int(numerator or 0), int(denominator or 0)
        if not denominator or self._small(numerator):
            return None
        return numerator / denominator

    def ratio(self, value, numerator) -> float | None:
        """A measure (H, A, M0) shown only when its numerator is not a small cell."""
        if value is None or value != value:
            return None
        if self._small(int(numerator or 0)):
            return None
        return float(value)
