"""Counts and rates of targeting results as a user may see them: exact for personal-data
roles; for everyone else small cells (< 5) are suppressed (`access.disclosure`), and so is
a rate whose numerator is such a cell, since rate × n would give the count back."""

from __future__ import annotations

from onehome.access.disclosure import SMALL_CELL, shown_count


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


class Cells:
    """Counts and rates as this user may see them."""

    def __init__(self, user) -> None:
        self.user = user
        self.exact = user.reads_personal_data

    def count(self, value) -> str:
        return shown_count(int(value or 0), user=self.user)

    def rate(self, numerator, denominator) -> float | None:
        numerator, denominator = int(numerator or 0), int(denominator or 0)
        if not denominator or (not self.exact and 0 < numerator < SMALL_CELL):
            return None
        return numerator / denominator

    def ratio(self, value, numerator) -> float | None:
        """A measure (H, A, M0) shown only when its numerator is not a small cell."""
        if value is None or value != value:
            return None
        if not self.exact and 0 < int(numerator or 0) < SMALL_CELL:
            return None
        return float(value)
