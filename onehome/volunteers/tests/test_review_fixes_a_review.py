# ruff: noqa: F811 - the fixtures imported from test_offline_sync are parameters here
"""Review fix: the review queue never overwrites silently a value the centre changed on
the record after the conflict was raised (a newer "theirs"). Keeping the phone's or a
typed value over it is refused, naming the value now, and changes nothing; the page and
the API show the value now next to both values, and the reviewer may replace it only by
saying so."""

import pytest

from onehome.registry import services as registry
from onehome.registry.models import Person
from onehome.volunteers.models import ConflictStatus
from onehome.volunteers.offline import review
from onehome.volunteers.tests.test_offline_sync import (  # noqa: F401 - fixtures
    client_of,
    conflict,
    home,
    reviewer,
)

pytestmark = pytest.mark.usefixtures("english")
LATER = "0855555555"  # the centre's change made after the conflict was raised


@pytest.fixture
def changed_since(conflict, worker):
    person = Person.objects.get(pk=conflict.object_id)
    registry.update_person(actor=worker, person_id=person.pk, expected_version=person.version,
                           changes={"phone": LATER})  # fmt: skip
    return conflict


def _unchanged(row, version):
    person = Person.objects.get(pk=row.object_id)
    assert person.phone == LATER and person.version == version
    row.refresh_from_db()
    assert row.status == ConflictStatus.OPEN and row.resolved_by is None


@pytest.mark.parametrize("choice,other", [(review.MINE, None), (review.OTHER, "0866666666")])
def test_keeping_the_phones_or_a_typed_value_over_a_later_centre_change_is_refused(
    changed_since,
    reviewer,
    choice,
    other,
):
    version = Person.objects.get(pk=changed_since.object_id).version
    with pytest.raises(review.ChangedSinceError) as refused:
        review.resolve_conflict(actor=reviewer, conflict_id=changed_since.pk, choice=choice,
                                other=other)  # fmt: skip
    assert LATER in str(refused.value.messages[0])  # the value now, named (Thai or English)
    _unchanged(changed_since, version)


def test_the_reviewer_may_replace_the_later_value_by_naming_it(changed_since, reviewer):
    with pytest.raises(review.ChangedSinceError):
        review.resolve_conflict(actor=reviewer, conflict_id=changed_since.pk,
                                choice=review.MINE, replaces="0899999999")  # fmt: skip
    review.resolve_conflict(actor=reviewer, conflict_id=changed_since.pk, choice=review.MINE,
                            replaces=LATER)  # fmt: skip
    assert Person.objects.get(pk=changed_since.object_id).phone == "0833333333"
    changed_since.refresh_from_db()
    assert changed_since.status == ConflictStatus.RESOLVED


@pytest.mark.parametrize(
    "choice,other,kept",
    [(review.MINE, None, "0833333333"), (review.OTHER, "0866666666", "0866666666")],
)
def test_without_a_later_change_the_chosen_value_is_written(
    conflict, reviewer, choice, other, kept
):
    review.resolve_conflict(actor=reviewer, conflict_id=conflict.pk, choice=choice, other=other)
    assert Person.objects.get(pk=conflict.object_id).phone == kept
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.RESOLVED and conflict.chosen == kept


def test_the_page_shows_the_value_now_and_refuses_a_silent_overwrite(
    changed_since,
    reviewer,
    client,
    settings,
):
    client.force_login(reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get("/volunteers/conflicts/").content.decode()
    assert "0822222222" in text and "0833333333" in text and LATER in text
    assert 'name="replaces"' in text and "Changed again at the centre" in text
    version = Person.objects.get(pk=changed_since.object_id).version
    url = f"/volunteers/conflicts/{changed_since.pk}/resolve/"
    answer = client.post(url, {"choice": "mine"}, follow=True).content.decode()
    assert "changed again at the centre" in answer and LATER in answer
    _unchanged(changed_since, version)
    client.post(url, {"choice": "mine", "replaces": LATER})
    assert Person.objects.get(pk=changed_since.object_id).phone == "0833333333"


def test_the_page_offers_no_replacing_when_nothing_changed_since(
    conflict, reviewer, client, settings
):
    client.force_login(reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get("/volunteers/conflicts/").content.decode()
    assert 'name="replaces"' not in text and "Value on the record now" in text


def test_the_api_shows_the_value_now_and_answers_409_for_a_later_change(
    changed_since,
    reviewer,
):
    api = client_of(reviewer)
    [row] = api.get("/api/volunteers/conflicts/").json()["results"]
    assert row["theirs"] == "0822222222" and row["current"] == LATER
    url = f"/api/volunteers/conflicts/{changed_since.pk}/resolve/"
    version = Person.objects.get(pk=changed_since.object_id).version
    answer = api.post(url, {"choice": "mine"}, format="json")
    assert answer.status_code == 409, answer.content
    assert answer.json()["code"] == "changed_since" and answer.json()["current"] == LATER
    _unchanged(changed_since, version)
    done = api.post(url, {"choice": "mine", "replaces": LATER}, format="json")
    assert done.status_code == 200 and done.json()["current"] == "0833333333"


def test_keeping_the_value_the_record_already_holds_needs_no_replacing(changed_since, reviewer):
    review.resolve_conflict(
        actor=reviewer, conflict_id=changed_since.pk, choice=review.OTHER, other=LATER
    )
    assert Person.objects.get(pk=changed_since.object_id).phone == LATER
    changed_since.refresh_from_db()
    assert changed_since.status == ConflictStatus.RESOLVED and changed_since.chosen == LATER
