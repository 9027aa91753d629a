"""A volunteer reads only the households assigned to them now: once a household is taken
from them, its help requests leave their list too (page and API)."""

import uuid

from onehome.volunteers.assignments.services import end_assignment
from onehome.volunteers.models import Assignment, HelpRequest
from onehome.volunteers.tests.visits_support import home  # noqa: F401 - the fixture
from onehome.volunteers.visits.services import raise_help_request


def test_help_requests_of_an_unassigned_household_leave_the_volunteers_list(
    client,
    home,  # noqa: F811 - the imported fixture
    worker,
):
    raise_help_request(
        actor=home.volunteer.user, household_id=home.pk, kind="help",
        summary="ผู้สูงอายุล้ม ต้องการรถเข็น", client_id=uuid.uuid4(),
    )  # fmt: skip
    client.force_login(home.volunteer.user)
    assert len(client.get("/api/volunteers/help-requests/").json()) == 1
    end_assignment(actor=worker, assignment_id=Assignment.objects.get().pk, reason="moved")
    assert client.get("/api/volunteers/help-requests/").json() == []
    assert HelpRequest.objects.count() == 1
