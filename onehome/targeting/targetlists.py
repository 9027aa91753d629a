"""The target list of a run: poor households in the user's area, exportable, and linked to
the registry so that a worker can open a household's file and make a plan.

- :func:`target_households` reads the run's household file with DuckDB, filtered to the
  user's area (`selectors.household_scope`), one page at a time.
- :func:`export_target_list` writes it as CSV or Excel (an audited export).
- :func:`linked_household_id` finds the registry household of a survey household: one
  linked before, else where most members with a national ID live now, else the house
  registration number.
- :func:`link_household` creates the registry household with its members from the survey
  rows when none matches, through the registry's services (rules, scope and audit apply).

A link made for a household without any national ID cannot be found again by matching,
so every link is also written to the append-only audit log as
``targeting.householdlink`` keyed by village and survey household id, and that record is
consulted first: linking twice returns the same registry household.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from onehome.access import audit
from onehome.access.models import AuditAction, AuditEvent, User
from onehome.errors import NotInScopeError, ValidationError
from onehome.geo.models import Village
from onehome.registry import services as registry
from onehome.registry.models import Household, Membership, Person, Relationship, Sex

from . import explain, selectors
from .models import Run, SurveyRound
from .person_keys import document_of

LINK_TYPE = "targeting.householdlink"
EXPORT_COLUMNS = (
    "household_id",
    "village_code",
    "members",
    "poor_members",
    "target_members",
    "score",
    "dimensions",
    "indicators",
    "registry_household",
)


@dataclass
class TargetPage:
    rows: list[dict[str, Any]]
    total: int


def target_households(
    *,
    user: User,
    run: Run,
    area: str = "",
    only_target: bool = True,
    limit: int | None = 50,
    offset: int = 0,
) -> TargetPage:
    """Poor households of a run in the user's area (and in ``area``, a code prefix), target
    households only by default (a poor member on the welfare-card list)."""
    scope = selectors.household_scope(user)
    if area and not area.isdigit():
        raise NotInScopeError
    where, params = scope.sql()
    if area:
        where += " AND starts_with(CAST(village_code AS VARCHAR), ?)"
        params.append(area)
    if only_target:
        where += " AND target_members > 0"
    path = str(run.result_path / "households.parquet")
    with duckdb.connect() as con:
        # `where` is built above from fixed fragments; every value is a parameter.
        count_sql = f"SELECT count(*) FROM read_parquet(?) WHERE {where}"  # noqa: S608
        total = con.execute(count_sql, [path, *params]).fetchone()[0]
        sql = f"SELECT * FROM read_parquet(?) WHERE {where}"  # noqa: S608
        sql += " ORDER BY village_code, household_id"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        frame = con.execute(sql, [path, *params]).df()
    return TargetPage(rows=_describe(frame, run), total=int(total))


def _describe(frame: pd.DataFrame, run: Run) -> list[dict[str, Any]]:
    spec = selectors.run_spec(run)
    ids = [ind.id for ind in spec.indicators]
    dimension_of = {ind.id: ind.dimension for ind in spec.indicators}
    keys = _person_keys(run.survey_round, [str(h) for h in frame.get("household_id", [])])
    records = frame.to_dict("records")
    registry_ids = linked_household_ids(
        [
            (str(r["village_code"]), str(r["household_id"]), keys.get(str(r["household_id"]), []))
            for r in records
        ],
    )
    rows = []
    for record in records:
        household_id = str(record["household_id"])
        mask = int(record.get("deprived") or 0)
        failed = [ids[j] for j in range(len(ids)) if mask >> j & 1]
        dims = list(dict.fromkeys(dimension_of[i] for i in failed))
        rows.append(
            {
                "household_id": household_id,
                "village_code": str(record["village_code"]),
                "members": int(record["members"]),
                "poor_members": int(record["poor_members"]),
                "target_members": int(record["target_members"]),
                "score": round(float(record["score"]), 4),
                "dimensions": dims,
                "indicators": failed,
                "registry_household": registry_ids.get(household_id),
            }
        )
    return rows


def _person_keys(survey_round: SurveyRound, household_ids: list[str]) -> dict[str, list[str]]:
    if not household_ids:
        return {}
    sql = (
        "SELECT CAST(household_id AS VARCHAR), list(person_key) FROM read_parquet(?) "
        "WHERE list_contains(?, CAST(household_id AS VARCHAR)) GROUP BY 1"
    )
    with duckdb.connect() as con:
        rows = con.execute(sql, [str(survey_round.path), household_ids]).fetchall()
    return {hh: [str(k) for k in keys if k] for hh, keys in rows}


def export_target_list(
    *, user: User, run: Run, area: str = "", fmt: str = "csv", only_target: bool = True
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the whole list in the user's area; audited."""
    page = target_households(user=user, run=run, area=area, only_target=only_target, limit=None)
    header = [str(c) for c in EXPORT_COLUMNS]
    table = [[_cell(row[c]) for c in EXPORT_COLUMNS] for row in page.rows]
    name = f"target-list-run{run.pk}{'-' + area if area else ''}"
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = _("Target households")[:31]
        sheet.append(header)
        for line in table:
            sheet.append(line)
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        name += ".xlsx"
    elif fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(table)
        # A BOM so that Excel opens Thai text as UTF-8.
        content = ("\ufeff" + text.getvalue()).encode("utf-8")
        content_type = "text/csv; charset=utf-8"
        name += ".csv"
    else:
        raise ValidationError(_("Unknown export format."), code="format")
    audit.record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="targeting.targetlist",
        object_id=str(run.pk),
        after={"area": area, "rows": len(table), "format": fmt, "only_target": only_target},
        purpose="target list export",
        subdistrict_code=area[:6] if len(area) >= 6 else "",
    )
    return content, content_type, name


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "+".join(value)
    return "" if value is None else value


def linked_household_id(
    *, household_id: str, person_keys: list[str], village_code: str = ""
) -> int | None:
    """The registry household of a survey household, or None when nothing matches."""
    return linked_household_ids([(village_code, household_id, person_keys)]).get(household_id)


LOOKUP_CHUNK = 2000  # values per IN (…): SQLite allows 32,766 parameters a statement


def linked_household_ids(households: list[tuple[str, str, list[str]]]) -> dict[str, int]:
    """The registry households of survey households, (village code, household id, person
    keys) each, in a few queries whatever their number (an export of a province lists
    thousands; one look-up each took 44 s). Survey household id → registry household id,
    for those that match, in this order: the household linked before (the audit log's
    link record, if it still exists), else where most of its members with a national ID
    live now, else the house registration number (an 11-digit household id)."""
    found: dict[str, int] = {}
    by_link = {_link_id(v, h): h for v, h, _keys in households if v}
    links: dict[str, int] = {}
    for chunk in _chunks(list(by_link)):
        for object_id, registry_id in (
            AuditEvent.objects.filter(object_type=LINK_TYPE, object_id__in=chunk)
            .order_by("at", "id")
            .values_list("object_id", "household_id")
        ):
            if registry_id:
                links[by_link[object_id]] = int(registry_id)  # the latest wins
    existing = set()
    for chunk in _chunks(sorted(set(links.values()))):
        existing |= set(Household.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    found.update({h: r for h, r in links.items() if r in existing})
    # A prefixed key ("card:0123…") carries a document number after the prefix.
    keys_of = {
        h: [k.split(":", 1)[-1] for k in keys if k] for _v, h, keys in households if h not in found
    }
    homes_of: dict[str, list[int]] = {}
    for chunk in _chunks(sorted({k for keys in keys_of.values() for k in keys})):
        for id_number, home in Membership.objects.filter(
            end_date__isnull=True, person__id_number__in=chunk, person__merged_into__isnull=True
        ).values_list("person__id_number", "household_id"):
            homes_of.setdefault(id_number, []).append(home)
    for h, keys in keys_of.items():
        homes = Counter(home for k in keys for home in homes_of.get(k, []))
        if homes:
            found[h] = homes.most_common(1)[0][0]
    numbers = [h for h in keys_of if h not in found and len(h) == 11 and h.isdigit()]
    for chunk in _chunks(numbers):
        for number, pk in (
            Household.objects.filter(registration_no__in=chunk)
            .order_by("pk")
            .values_list("registration_no", "pk")
        ):
            found.setdefault(number, pk)  # the oldest household with the number
    return found


def _chunks(values: list) -> list[list]:
    return [values[i : i + LOOKUP_CHUNK] for i in range(0, len(values), LOOKUP_CHUNK)]


def _link_id(village_code: str, household_id: str) -> str:
    return f"{village_code}/{household_id}"[:64]


@transaction.atomic
def link_household(
    *, actor: User, run_id: int, household_id: str, purpose: str = "target list"
) -> tuple[Household, bool]:
    """The registry household of a target household, created with its members from the
    survey rows when none matches. Returns (household, created)."""
    scope = selectors.household_scope(actor)
    run = selectors.finished_run(run_id)
    rows = explain.household_rows(run.survey_round.path, household_id)
    if rows.empty:
        raise NotInScopeError
    village_code = str(rows["village_code"].iloc[0])
    if not scope.allows(village_code):
        raise NotInScopeError
    if not actor.writes_registry:
        raise NotInScopeError
    keys = [str(k) for k in rows.get("person_key", pd.Series(dtype=str)).dropna() if str(k)]
    existing = linked_household_id(
        household_id=str(household_id),
        person_keys=keys,
        village_code=village_code,
    )
    if existing is not None:
        return Household.objects.get(pk=existing), False
    household = _create_from_survey(actor, run, str(household_id), village_code, rows, purpose)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=LINK_TYPE,
        object_id=_link_id(village_code, str(household_id)),
        household_id=household.pk,
        subdistrict_code=village_code[:6],
        after={"household": household.pk, "run": run.pk, "survey_round": run.survey_round_id},
        purpose=purpose,
    )
    return household, True


def _create_from_survey(
    actor: User, run: Run, household_id: str, village_code: str, rows: pd.DataFrame, purpose: str
) -> Household:
    village = village_code if Village.objects.filter(code=village_code).exists() else None
    registration = household_id if len(household_id) == 11 and household_id.isdigit() else ""
    household = registry.create_household(
        actor=actor,
        subdistrict=village_code[:6],
        village=village,
        registration_no=registration,
        address_detail=_("From survey round %(name)s, household %(id)s")
        % {"name": run.survey_round.name, "id": household_id},
        purpose=purpose,
    )
    today = timezone.localdate()
    for number, row in enumerate(rows.to_dict("records"), start=1):
        year = run.survey_round.year
        person = _person_for(actor, row, number, village_code, village, year, purpose)
        registry.add_member(
            actor=actor,
            household_id=household.pk,
            person_id=person.pk,
            relationship=_relationship(row, number),
            since=today,
            purpose=purpose,
        )
    return household


def _person_for(
    actor: User,
    row: dict[str, Any],
    number: int,
    village_code: str,
    village: str | None,
    year: int,
    purpose: str,
) -> Person:
    key = explain._key(row.get("person_key"))
    id_type, id_number = document_of(key)
    if id_number:
        found = Person.objects.filter(id_number=id_number, merged_into__isnull=True).first()
        if found is not None:
            return found
    age = explain._plain(row.get("age"))
    first = explain._plain(row.get("first_name_th")) or _("Survey member %(n)s") % {"n": number}
    return registry.register_person(
        actor=actor,
        id_type=id_type,
        id_number=id_number,
        first_name_th=str(first),
        last_name_th=str(explain._plain(row.get("last_name_th")) or ""),
        subdistrict=village_code[:6],
        village=village,
        birth_year=int(year - age) if isinstance(age, int | float) else None,
        sex=_sex(row.get("sex")),
        acknowledge_duplicates=True,
        purpose=purpose,
    )


def _sex(value: Any) -> str:
    text = str(explain._plain(value) or "").strip().lower()
    if text in {"f", "female", "2", "หญิง"}:
        return Sex.FEMALE
    if text in {"m", "male", "1", "ชาย"}:
        return Sex.MALE
    return Sex.UNKNOWN


def _relationship(row: dict[str, Any], number: int) -> str:
    if number == 1:  # the survey lists the head first
        return Relationship.HEAD
    value = str(explain._plain(row.get("relationship")) or "")
    if value in Relationship.values and value != Relationship.HEAD:
        return value
    return Relationship.RELATIVE
