"""Visits that reach the server out of order (a paper record book typed in late, a phone
that syncs after another visit was recorded) must not move the follow-up schedule back
nor answer a follow-up that was scheduled after them."""

import pytest

from onehome.volunteers.development import selectors
from onehome.volunteers.development import services as development
from onehome.volunteers.models import FollowUp
from onehome.volunteers.tests.development_helpers import *  # noqa: F403 - its fixtures
from onehome.volunteers.tests.development_helpers import in_days, start, visit_on

pytestmark = pytest.mark.usefixtures("english")


def test_an_older_visit_recorded_late_leaves_the_schedule_of_the_newer_visit(home):
    start(home, agreed_on=in_days(-70), days=30)  # grid: -40, -10, +20
    newer = visit_on(home, in_days(-5))
    assert development.answer_follow_up(newer) is not None
    assert [f.due_on for f in selectors.due_follow_ups(home)] == [in_days(20)]
    older = visit_on(home, in_days(-30))  # typed in after the newer one
    assert development.answer_follow_up(older) is None
    # Still due after the newer visit, not overdue from the older visit's grid day (-10).
    assert [f.due_on for f in selectors.due_follow_ups(home)] == [in_days(20)]
    assert FollowUp.objects.filter(visit=older).count() == 0
