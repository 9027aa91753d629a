from onehome.volunteers.assignments.selectors import assigned_households
from onehome.volunteers.tests.factories import assign, make_volunteer


def test_factory(worker, make_household):
    v = make_volunteer(worker)
    h = make_household()
    assign(v, h, by=worker)
    assert list(assigned_households(user=v.user)) == [h]
    assert list(assigned_households(user=worker)) == []
