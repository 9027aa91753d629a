"""The import page: a rejected file shows its row errors, a good one is loaded (apart from
test_pages.py, whose tests share one finished run: these need no survey round before)."""

import pytest

from onehome.access.models import Role
from onehome.targeting.tests import finished


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, level="nation", code="")


def test_import_page_shows_the_row_errors_of_a_rejected_file(client, data_dir, analyst):
    frame = finished.people()
    frame.loc[1, "village_code"] = "99999999"
    frame.loc[2, "age"] = 300
    path = data_dir / "bad.csv"
    frame.to_csv(path, index=False)
    client.force_login(analyst)
    with path.open("rb") as upload:
        response = client.post(
            "/targeting/import/",
            {"kind": "survey", "name": "bad", "year": 2024, "catalogue": "tpmap_2018",
             "file": upload},
        )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="row-errors"' in body and "99999999" in body and "300" in body
    from onehome.targeting.models import SurveyRound

    assert not SurveyRound.objects.exists()


def test_import_page_loads_a_good_file(client, data_dir, analyst):
    path = data_dir / "good.parquet"
    finished.people().to_parquet(path, index=False)
    client.force_login(analyst)
    with path.open("rb") as upload:
        response = client.post(
            "/targeting/import/",
            {"kind": "survey", "name": "good", "year": 2024, "catalogue": "tpmap_2018",
             "file": upload},
        )  # fmt: skip
    assert response.status_code == 302
    from onehome.targeting.models import SurveyRound

    assert SurveyRound.objects.get().households == 4
