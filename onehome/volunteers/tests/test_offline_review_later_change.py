"""Choosing the centre's value in the review queue keeps the record as the centre has it:
a change made at the centre after the conflict was raised is not rolled back to the
older value the conflict remembers."""

from onehome.registry import services as registry
from onehome.registry.models import Person
from onehome.volunteers.models import ConflictStatus
from onehome.volunteers.offline import review
from onehome.volunteers.tests.test_offline_sync import (  # noqa: F401 - fixtures
    conflict,
    home,
    reviewer,
)


def test_keeping_the_centres_value_keeps_a_later_centre_change(
    conflict,  # noqa: F811 - the imported fixture
    reviewer,  # noqa: F811
    worker,
):
    person = Person.objects.get(pk=conflict.object_id)
    assert conflict.theirs == "0822222222"
    registry.update_person(actor=worker, person_id=person.pk, expected_version=person.version,
                           changes={"phone": "0855555555"})  # fmt: skip
    review.resolve_conflict(actor=reviewer, conflict_id=conflict.pk, choice=review.THEIRS)
    assert Person.objects.get(pk=person.pk).phone == "0855555555"
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.RESOLVED and conflict.chosen == "0855555555"
