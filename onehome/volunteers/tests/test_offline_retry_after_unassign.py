"""A retry of an item the server already saved is answered "duplicate" even when the
household was taken from the volunteer in between: answering "refused, nothing was
saved" would be untrue (the visit is there) and leave it stuck on the phone."""

from onehome.volunteers.assignments.services import end_assignment
from onehome.volunteers.models import Assignment, Visit
from onehome.volunteers.tests.test_offline_sync import home, sync, visit_item  # noqa: F401


def test_a_retry_after_unassignment_is_a_duplicate_not_a_refusal(
    home,  # noqa: F811 - the imported fixture
    worker,
):
    item = visit_item(home)
    [first] = sync(home.volunteer.user, item)
    assert first["status"] == "ok"
    end_assignment(actor=worker, assignment_id=Assignment.objects.get().pk, reason="moved")
    [again] = sync(home.volunteer.user, item)
    assert (again["status"], again["id"]) == ("duplicate", first["id"])
    assert Visit.objects.count() == 1
    # A new item for the household is refused now.
    [new] = sync(home.volunteer.user, visit_item(home))
    assert new["status"] == "refused" and Visit.objects.count() == 1
