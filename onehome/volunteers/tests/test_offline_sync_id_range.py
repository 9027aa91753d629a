"""A sync item naming a household past the largest id (a BIGINT) is refused on its own,
with its shape: the rest of the batch is still written. (SQLite raised on such a number
in the batch's one query for the run's households, refusing the whole batch with 400.)"""

import pytest
from rest_framework.test import APIClient

from onehome.volunteers.models import Visit
from onehome.volunteers.tests.development_helpers import today
from onehome.volunteers.tests.factories import make_volunteer
from onehome.volunteers.tests.test_offline_visit_batch import add_household, item


@pytest.mark.django_db
def test_a_household_id_past_a_bigint_refuses_only_its_item(worker, make_household, make_person):
    volunteer = make_volunteer(worker)
    homes = [add_household(volunteer, worker, make_household, make_person) for _ in range(3)]
    batch = [item(h) for h in homes]
    for entry in batch:
        entry["client_id"] = str(entry["client_id"])
        entry["visit"]["visited_on"] = today().isoformat()
    batch[1]["household_id"] = 2**63
    client = APIClient()
    client.force_login(volunteer.user)
    response = client.post("/api/volunteers/app/sync/", {"items": batch}, format="json")
    assert response.status_code == 200
    answers = response.json()["items"]
    assert [a["status"] for a in answers] == ["ok", "refused", "ok"]
    assert answers[1]["message"]
    stored = {str(c) for c in Visit.objects.values_list("client_id", flat=True)}
    assert stored == {batch[0]["client_id"], batch[2]["client_id"]}
