"""Coverage of a target list: for a run and an area (province, district or sub-district),
how many target households have a volunteer and how many have none, per area directly
under it (districts, sub-districts, villages).

A target household has a volunteer when it is linked to a registry household
(`targeting.results.registry_links`) with an open assignment. The counts are exact: only
staff who read volunteers and personal data see them, and only for an area wholly inside
their own (`access.scope.area_in_scope`), where no cell is suppressed; any other area is
404, like a record outside one's area.
"""

from __future__ import annotations

from dataclasses import dataclass

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.access.scope import area_in_scope
from onehome.errors import NotInScopeError
from onehome.geo.models import District, Province, Subdistrict, Village
from onehome.targeting.models import Run
from onehome.targeting.results.selectors import finished_run
from onehome.targeting.results.target_lists import target_households
from onehome.volunteers.models import Assignment

# An area's code width → the model of the areas directly under it, and their parent field.
CHILDREN = {
    2: (District, "province_id"),
    4: (Subdistrict, "district_id"),
    6: (Village, "subdistrict_id"),
}
AREA_MODEL = {2: Province, 4: District, 6: Subdistrict}


@dataclass
class CoverageRow:
    code: str
    name: str
    targets: int = 0
    with_volunteer: int = 0

    @property
    def without_volunteer(self) -> int:
        return self.targets - self.with_volunteer

    @property
    def share(self) -> float | None:
        return self.with_volunteer / self.targets if self.targets else None


@dataclass
class Coverage:
    run: Run
    area: CoverageRow
    rows: list[CoverageRow]


def coverage(*, user: User, run_id: int, area: str) -> Coverage:
    """Target households with and without a volunteer in ``area``, per child area."""
    area = str(area or "")
    width = len(area)
    if (
        not may(user, Action.READ_VOLUNTEERS)
        or width not in CHILDREN
        or not area.isdigit()
        or not area_in_scope(user, area)
    ):
        raise NotInScopeError
    place = AREA_MODEL[width].objects.filter(pk=area).first()
    if place is None:
        raise NotInScopeError
    run = finished_run(run_id)
    page = target_households(user=user, run=run, area=area, limit=None)
    linked = {r["registry_household"] for r in page.rows if r["registry_household"]}
    followed = set(
        Assignment.objects.filter(household_id__in=linked, ended_at__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    model, parent = CHILDREN[width]
    rows = {
        code: CoverageRow(code, name)
        for code, name in model.objects.filter(**{parent: area}).values_list("code", "name_th")
    }
    total = CoverageRow(area, place.name_th)
    for r in page.rows:
        code = str(r["village_code"])[: width + 2]
        row = rows.setdefault(code, CoverageRow(code, code))
        covered = r["registry_household"] in followed
        for counted in (row, total):
            counted.targets += 1
            counted.with_volunteer += covered
    return Coverage(run=run, area=total, rows=sorted(rows.values(), key=lambda r: r.code))
