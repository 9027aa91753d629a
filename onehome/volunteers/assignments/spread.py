"""The rule that chooses a volunteer for a household, shared by the bulk assignment and
the assignment from a case: a working volunteer of the household's sub-district who works
in the household's village first; among those, the one with the fewest open assignments;
ties go to the volunteer registered first (lowest id), so the same inputs always give the
same answer (a preview and its confirmation agree)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from onehome.volunteers.models import WORKING, Volunteer


@dataclass
class Slot:
    """A volunteer as the spread sees them: their villages and their running load."""

    volunteer: Volunteer
    villages: frozenset[str]
    load: int
    load_before: int = 0
    given: list = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.volunteer.pk


def working_volunteers(subdistrict: str, qs: QuerySet[Volunteer] | None = None) -> list[Slot]:
    """The working volunteers of a sub-district (``qs``: already scoped to the reader) with
    their villages and open assignments, in id order."""
    qs = Volunteer.objects.all() if qs is None else qs
    rows = (
        qs.filter(subdistrict_id=subdistrict, status__in=WORKING)
        .select_related("person")
        .prefetch_related("villages")
        .annotate(open_load=Count("assignments", filter=Q(assignments__ended_at__isnull=True)))
        .order_by("id")
    )
    return [
        Slot(
            volunteer=v,
            villages=frozenset(village.code for village in v.villages.all()),
            load=v.open_load,
            load_before=v.open_load,
        )
        for v in rows
    ]


def choose(slots: list[Slot], village_code: str | None) -> tuple[Slot | None, bool]:
    """(the volunteer for a household of ``village_code``, whether they work in that
    village); (None, False) when the sub-district has no working volunteer. The caller
    adds the household to the chosen slot's load before choosing the next."""
    if not slots:
        return None, False
    best = min(slots, key=lambda s: (village_code not in s.villages, s.load, s.id))
    return best, bool(village_code) and village_code in best.villages
