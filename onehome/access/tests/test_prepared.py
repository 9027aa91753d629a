"""On PostgreSQL, statements that repeat are prepared, except those with an array
parameter (an area's sub-districts) or an area's prefix (`geo.code_prefix.InArea`), which
are planned for their values on every call."""

import pytest
from django.db import connection

from onehome.geo.code_prefix import PER_CALL_PLAN

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
