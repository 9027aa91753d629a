"""The record book read one way everywhere: the household story and the record book page
count the answers of a visit alike (an answer that says nothing about deprivation is not
"asked"), and the latest answer to a question is the same for the book, the goals proposed
from it and the graduation evidence (of two visits on the same day, the later recorded)."""

import pytest
from django.urls import reverse

from onehome.volunteers.course.evidence import check_assessment
from onehome.volunteers.models import Enrollment, RecordBookEntry
from onehome.volunteers.tests.development_helpers import *  # noqa: F403 - its fixtures
from onehome.volunteers.tests.development_helpers import in_days, start, visit_on


def answer(visit, question, dimension, value, deprived):
    """One answer of ``visit`` in the record book, written directly."""
    return RecordBookEntry.objects.create(
        household=visit.household, visit=visit, recorded_on=visit.visited_on,
        dimension=dimension, question=question, value=value, deprived=deprived,
    )  # fmt: skip


@pytest.fixture
def two_visits(home):
    """An older visit that answered with and without verdicts, and a newer one that gave
    only answers with no verdict in income and access."""
    old, new = visit_on(home, in_days(-30)), visit_on(home, in_days(-2))
    answer(old, "safe_food", "health", False, True)
    answer(old, "income_per_person", "income", 20000, True)
    answer(old, "savings", "income", True, False)
    answer(old, "debt", "income", 5000, None)  # no rule: says nothing about deprivation
    answer(new, "debt", "income", 1000, None)
    answer(new, "access_notes", "access", "ไกลอำเภอ", None)
    answer(new, "safe_food", "health", True, False)
    return old, new


def _story_counts(client, home):
    page = client.get(reverse("volunteers:story_household", args=[home.pk]))
    assert page.status_code == 200
    return {
        row["dimension"]: [
            (c["deprived"], c["answered"]) if c["answered"] else None for c in row["cells"]
        ]
        for row in page.context["book_rows"]
    }


def _book_counts(client, home):
    page = client.get(reverse("volunteers:visit_record_book", args=[home.pk]))
    assert page.status_code == 200
    return {d["dimension"]: [b["value"] for b in d["bars"]] for d in page.context["book"]}


@pytest.mark.parametrize("reader", ["volunteer", "staff"])
def test_the_story_and_the_record_book_page_count_the_same(client, home, staff, two_visits, reader):
    client.force_login(home.volunteer.user if reader == "volunteer" else staff)
    story, book = _story_counts(client, home), _book_counts(client, home)
    assert story["income"] == [(1, 2), None]  # the debt answers are not counted anywhere
    assert story["access"] == [None, None]
    for dimension, cells in story.items():
        deprived = [None if c is None else c[0] for c in cells]
        assert book[dimension] == ([] if deprived == [None, None] else deprived), dimension


def test_the_story_api_and_the_record_book_api_count_the_same(client, home, two_visits):
    client.force_login(home.volunteer.user)
    story = client.get(f"/api/volunteers/households/{home.pk}/story/").json()["record_book"]
    history = client.get(f"/api/volunteers/households/{home.pk}/record-book/").json()["history"]
    for dimension, points in history.items():
        assert [p["asked"] for p in points] == [s["answered"][dimension] for s in story]
        assert [p["deprived"] or 0 for p in points] == [s["deprived"][dimension] for s in story]
    assert [p["asked"] for p in history["income"]] == [2, 0]
    assert [p["deprived"] for p in history["income"]] == [1, None]


@pytest.fixture
def same_day(home):
    """Two visits on the same day whose answers were stored in the other order: the later
    visit's (higher id) answers have the lower ids."""
    first, second = visit_on(home, in_days(-1)), visit_on(home, in_days(-1))
    assert first.pk < second.pk
    answer(second, "safe_food", "health", True, False)
    answer(first, "safe_food", "health", False, True)
    answer(first, "drinking_water", "living", False, True)  # only the first asked it
    return first, second


def test_of_two_visits_on_one_day_the_later_recorded_gives_the_latest_answer(
    client, home, same_day
):
    start(home)
    client.force_login(home.volunteer.user)
    book = client.get(f"/api/volunteers/households/{home.pk}/record-book/").json()
    answers = {a["question"]: a for d in book["dimensions"] for a in d["answers"]}
    assert (answers["safe_food"]["value"], answers["safe_food"]["deprived"]) == (True, False)
    plan = client.get(reverse("volunteers:development_plan", args=[home.pk]))
    assert plan.status_code == 200
    proposed = [(p.dimension, p.source) for p in plan.context["proposals"]]
    assert proposed == [("living", "record_book")]  # not health: the later visit says fed


def test_graduation_evidence_reads_the_same_latest_answer(home, same_day):
    RecordBookEntry.objects.filter(question="drinking_water").delete()
    enrollment = Enrollment(household=home, enrolled_on=in_days(-60))
    check_assessment(enrollment, None)  # no deprivation left: the later visit wins
