"""Year over year: households that entered or left poverty between two runs, counted per
area and listed for the user's area only."""

import pytest

from onehome.access.models import AuditEvent, Role
from onehome.errors import NotInScopeError, ValidationError
from onehome.targeting.results import year_over_year as yoy
from onehome.targeting.tests import finished


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.ONEHOME_DATA_DIR = tmp_path / "data"
    return tmp_path


@pytest.fixture
def runs(db, data_dir):
    """2023: H3 poor (25,000), H2 not poor. 2024: H3 out of poverty (80,000), H2 poor
    (30,000); H1 and HB poor in both."""
    earlier = finished.finished_run(data_dir, year=2023)
    later = finished.finished_run(
        data_dir, year=2024, frame=finished.people(h3_income=80_000.0, h2_income=30_000.0)
    )
    return earlier, later


def test_counts_per_area(runs):
    earlier, later = runs
    result = yoy.compare_runs(earlier=earlier, later=later)
    assert result.totals == {"entered": 1, "left": 1, "stayed": 2, "new": 0, "gone": 0}
    by_code = {c["code"]: c for c in result.children}
    assert by_code["57"]["entered"] == 1 and by_code["57"]["left"] == 1
    assert by_code["10"]["stayed"] == 1
    village = yoy.compare_runs(earlier=earlier, later=later, area="570101")
    assert [c["code"] for c in village.children] == ["57010101"]


def test_list_is_scoped_and_audited(runs, worker, outsider, make_user):
    earlier, later = runs
    rows, total = yoy.changed_households(user=worker, earlier=earlier, later=later)
    assert total == 2
    assert {(r["household_id"], r["change"]) for r in rows} == {("H2", "entered"), ("H3", "left")}
    assert yoy.changed_households(user=outsider, earlier=earlier, later=later) == ([], 0)
    assert AuditEvent.objects.filter(object_type="targeting.yoy").count() == 2
    with pytest.raises(NotInScopeError):
        yoy.changed_households(user=make_user(Role.ANALYST), earlier=earlier, later=later)


def test_the_household_list_takes_the_area_codes_the_counts_take(runs, worker):
    earlier, later = runs
    for area in ("5", "570", "57010", "5701010", "abc"):  # not 2, 4, 6 or 8 digits
        with pytest.raises(NotInScopeError):
            yoy.changed_households(user=worker, earlier=earlier, later=later, area=area)
    with pytest.raises(ValidationError):
        yoy.compare_runs(earlier=earlier, later=later, area="570")
    rows, _total = yoy.changed_households(user=worker, earlier=earlier, later=later, area="57")
    assert rows


def test_runs_in_the_wrong_order_are_refused(runs):
    earlier, later = runs
    with pytest.raises(ValidationError):
        yoy.compare_runs(earlier=later, later=earlier)


def test_pages(client, runs, worker, outsider, make_user):
    earlier, later = runs
    query = f"?earlier={earlier.pk}&later={later.pk}"
    client.force_login(make_user(Role.ANALYST, level="nation", code=""))
    page = client.get(f"/targeting/compare/{query}")
    assert page.status_code == 200 and "yoy-areas" in page.content.decode()
    assert client.get(f"/targeting/compare/households/{query}").status_code == 404
    client.force_login(worker)
    listing = client.get(f"/targeting/compare/households/{query}")
    # Look for the household's link: a bare "H2" can occur inside the CSRF token.
    link = "/households/H2/"
    assert listing.status_code == 200 and link in listing.content.decode()
    client.force_login(outsider)
    assert link not in client.get(f"/targeting/compare/households/{query}").content.decode()
