"""What a field worker needs beside each row of a target-list export: the head's name, the
house and its registration number (from the registry household the survey household is
linked to, `registry_links`), the village and sub-district by name, the deprivations in
words, whether a poor member holds a welfare card, and the assigned worker.

Every registry and case read goes through the user's scope: households and memberships
through `access.scope.scoped`, cases through `cases.visibility.selectors.visible_cases`
(a sensitive case's worker is shown only to those who may see the case). A household the
user may not read, or one not linked, keeps these columns empty.

The assigned worker is the worker (lead first) of the household's open cases; a volunteer
assigned to the household itself arrives with the volunteer work (issue 16).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.access.scope import scoped
from onehome.cases.models import Case, CaseWorker
from onehome.cases.models.case import OPEN_STATUSES
from onehome.cases.visibility.selectors import visible_cases
from onehome.registry.models import Household, Membership, Relationship
from onehome.targeting.catalogue_files import indicator_labels
from onehome.targeting.models import Run
from onehome.targeting.results.labels import area_names

CHUNK = 2000  # values per IN (…), as `registry_links.LOOKUP_CHUNK`


@dataclass
class ExportDetails:
    rows: list[dict[str, Any]]
    households: list[int] = field(default_factory=list)  # registry households read
    people: list[int] = field(default_factory=list)  # heads whose names are written
    cases: list[int] = field(default_factory=list)  # open cases whose workers are written


def export_details(user: User, run: Run, rows: list[dict[str, Any]]) -> ExportDetails:
    """``rows`` (of `target_lists.target_households`) with the export's extra columns."""
    labels = indicator_labels(run.spec_name)
    villages = sorted({r["village_code"] for r in rows})
    names = area_names(villages + sorted({v[:6] for v in villages}))
    linked = sorted({r["registry_household"] for r in rows if r.get("registry_household")})
    homes = _households(user, linked)
    heads = _heads(user, list(homes))
    workers, cases = _workers(user, list(homes))
    yes, no = _("Has a card"), _("No card")
    out = []
    for row in rows:
        home = homes.get(row.get("registry_household"))
        head = heads.get(home["pk"]) if home else None
        out.append(
            {
                **row,
                "registration_no": home["registration_no"] if home else "",
                "house_no": home["house_no"] if home else "",
                "head_name": head[1] if head else "",
                "village_name": names.get(row["village_code"], ""),
                "subdistrict_name": names.get(row["village_code"][:6], ""),
                "deprivations": [labels.get(i, i) for i in row["indicators"]],
                "welfare_card": yes if row["target_members"] > 0 else no,
                "assigned_worker": ", ".join(workers.get(home["pk"], [])) if home else "",
                # Only a household the user may read is named by its registry id.
                "registry_household": home["pk"] if home else None,
            }
        )
    return ExportDetails(
        rows=out,
        households=sorted(homes),
        people=sorted(person for person, _name in heads.values()),
        cases=cases,
    )


def _chunks(values: list) -> list[list]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _households(user: User, ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        qs = scoped(user, Household.objects.filter(pk__in=chunk))
        for home in qs.values("pk", "house_no", "registration_no"):
            found[home["pk"]] = home
    return found


def _heads(user: User, homes: list[int]) -> dict[int, tuple[int, str]]:
    """Registry household → (person id, name) of its current head."""
    heads: dict[int, tuple[int, str]] = {}
    for chunk in _chunks(homes):
        qs = scoped(
            user,
            Membership.objects.filter(
                household_id__in=chunk, end_date__isnull=True, relationship=Relationship.HEAD
            ),
        ).order_by("household_id", "start_date", "id")
        for home, person, title, first, last in qs.values_list(
            "household_id",
            "person_id",
            "person__title",
            "person__first_name_th",
            "person__last_name_th",
        ):
            name = " ".join(p for p in (f"{title}{first}", last) if p)
            heads.setdefault(home, (person, name))
    return heads


def _workers(user: User, homes: list[int]) -> tuple[dict[int, list[str]], list[int]]:
    """Registry household → names of the workers on its open cases the user may see (the
    lead of each case first), and those cases."""
    by_home: dict[int, list[str]] = {}
    cases: list[int] = []
    for chunk in _chunks(homes):
        open_cases = visible_cases(
            user, Case.objects.filter(household_id__in=chunk, status__in=OPEN_STATUSES)
        )
        home_of = dict(open_cases.values_list("pk", "household_id"))
        cases += sorted(home_of)
        assignments = (
            CaseWorker.objects.filter(case_id__in=list(home_of))
            .select_related("user")
            .order_by("case_id", "-lead", "assigned_at", "id")
        )
        for assignment in assignments:
            worker = assignment.user
            name = worker.get_full_name() or worker.get_username()
            names = by_home.setdefault(home_of[assignment.case_id], [])
            if name not in names:
                names.append(name)
    return by_home, cases
