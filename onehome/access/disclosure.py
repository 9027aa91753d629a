"""Statistical disclosure control for aggregates: people without personal-data access see
counts, never rows, and counts under 5 are shown as "<5" so no one can be singled out.
Every page or export that shows counts to such users goes through `shown_count`."""

from .models import User

SMALL_CELL = 5


def shown_count(n: int, *, user: User, exact: bool | None = None) -> str:
    """`n` as the user may see it: exact for personal-data roles unless ``exact`` is False
    (a count of an area outside theirs), small cells suppressed for everyone else (zero
    stays zero: an empty cell reveals no one)."""
    exact = user.reads_personal_data and exact is not False  # it can only hide more
    if not exact and 0 < n < SMALL_CELL:
        return f"<{SMALL_CELL}"
    return f"{n:,}"
