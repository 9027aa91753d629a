"""A province's or district's cases are read by the prefix of their sub-district code (an
index walks the area's newest cases in order); the rows are the same as by the list of
the area's sub-districts, and the geography refuses codes that would break that."""

from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from onehome.access.models import Role
from onehome.access.scope import scoped
from onehome.cases.models import Case, Urgency
from onehome.conftest import BANGKOK_SUB, WIANG
from onehome.errors import ValidationError
from onehome.geo import services as geo
from onehome.geo.models import InspectionRegion, Province, Subdistrict
from onehome.geo.selectors import subdistrict_codes


@pytest.fixture
def spread_cases(org_57):
    """One case in each of: Wiang, another district of Chiang Rai, another province of
    Chiang Rai's inspection region, and Bangkok."""
    region = Province.objects.get(code="57").region_id
    other_district = Subdistrict.objects.filter(province_id="57").exclude(district_id="5701")
    other_province = Subdistrict.objects.filter(province__region_id=region).exclude(
        province_id="57"
    )
    places = [WIANG, other_district.first().code, other_province.first().code, BANGKOK_SUB]
    return [
        Case.objects.create(
            number=f"T-{n}",
            urgency=Urgency.NORMAL,
            category="elderly",
            title="t",
            subdistrict_id=code,
            owner=org_57,
        )  # fmt: skip
        for n, code in enumerate(places)
    ]


@pytest.mark.parametrize(
    "level, code",
    [
        ("province", "57"),
        ("district", "5701"),
        ("subdistrict", WIANG),
        ("province", "10"),
        ("region", None),  # the inspection region of Chiang Rai: by the list of codes
        ("nation", ""),
    ],
)
def test_scoped_cases_are_those_of_the_areas_subdistricts(spread_cases, make_user, level, code):
    if code is None:
        code = InspectionRegion.objects.get(provinces__code="57").code
    user = make_user(Role.SOCIAL_WORKER, level=level, code=code)
    found = set(scoped(user, Case.objects.all()).values_list("pk", flat=True))
    if level == "nation":
        expected = {c.pk for c in spread_cases}
    else:
        codes = subdistrict_codes(level=level, code=code)
        expected = {c.pk for c in spread_cases if c.subdistrict_id in codes}
    assert found == expected and found  # every area here holds a case


def test_the_geography_refuses_a_code_outside_its_parents():
    district = SimpleNamespace(code="5701", province_code="57")
    good = SimpleNamespace(code="570101", district_code="5701", province_code="57")
    geo._check_nested([district], [good])  # nothing to say
    with pytest.raises(ValidationError, match="570201"):
        wrong = SimpleNamespace(code="570201", district_code="5701", province_code="57")
        geo._check_nested([district], [good, wrong])
    with pytest.raises(ValidationError, match="5801"):
        geo._check_nested([SimpleNamespace(code="5801", province_code="57")], [])


@pytest.mark.parametrize(
    "level, code, width, index",
    [
        ("province", "57", 2, "case_province_newest"),
        ("district", "5701", 4, "case_district_newest"),
    ],
)
def test_an_areas_newest_cases_are_read_through_its_prefix_index(
    spread_cases, make_user, level, code, width, index
):
    """The query spells the prefix as the index does, the width and the area in the SQL
    text (as parameters, SQLite's planner and PostgreSQL's generic plans ignore the index)."""
    user = make_user(Role.SOCIAL_WORKER, level=level, code=code)
    ids = scoped(user, Case.objects.all()).order_by("-id").values_list("pk", flat=True)[:51]
    sql, params = ids.query.sql_with_params()
    # The area in the SQL text (only digits): each area's statement is planned for it.
    assert f", {width}) = '{code}'" in sql and code not in params
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a tiny table: make a full scan the dearer way
            cursor.execute("SET LOCAL enable_seqscan = off")
        explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
        cursor.execute(f"{explain} {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert index in plan, plan
