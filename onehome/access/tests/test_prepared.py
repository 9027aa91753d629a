"""On PostgreSQL, statements that repeat are prepared, except those with an array
parameter (an area's sub-districts) or an area's prefix (`core.compiled.code_prefix.InArea`), which
are planned for their values on every call."""

import pytest
from django.db import connection

from onehome.core.compiled.code_prefix import PER_CALL_PLAN

pytestmark = pytest.mark.django_db


def test_repeated_statements_are_prepared_but_not_area_filtered_ones():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        pytest.skip("server-side binding is off (ONEHOME_PG_SERVER_BINDING=0)")
    plain = "SELECT count(*) FROM geo_subdistrict WHERE province_id = %s"
    area = "SELECT count(*) FROM geo_subdistrict WHERE code = ANY(%s) AND province_id = %s"
    prefix = f"SELECT count(*) FROM geo_subdistrict WHERE {PER_CALL_PLAN} province_id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for _n in range(8):
            cursor.execute(plain, ["57"])
            cursor.execute(area, [["570101", "570102"], "57"])
            cursor.execute(prefix, ["57"])
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("province_id = $1" in s and "ANY" not in s for s in prepared), prepared
    assert not any("ANY" in s for s in prepared), prepared
    assert not any(PER_CALL_PLAN in s for s in prepared), prepared


def test_a_windowed_list_is_planned_per_call_for_a_nation_wide_user():
    # Without an area in its text, the case list's page of ids would be prepared after five
    # runs; a generic plan cannot see the LIMIT and may sort every case.
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        pytest.skip("server-side binding is off (ONEHOME_PG_SERVER_BINDING=0)")
    from onehome.access.models import Role, ScopeLevel
    from onehome.cases.tests.sla_factories import make_org, make_staff
    from onehome.cases.visibility.selectors import newest_visible_case_ids

    user = make_staff(Role.SUPERVISOR, org=make_org("o"), code="", scope_level=ScopeLevel.NATION)
    for start in range(8):
        newest_visible_case_ids(user, start, start + 51)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert not any("LIMIT $" in s for s in prepared), prepared
