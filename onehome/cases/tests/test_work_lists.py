"""Work lists that scale: "my work" lists each case once with its reasons as badges,
25 a page with counts; the notifications page pages, counts and marks what it shows read."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from onehome.access.models import AuditEvent
from onehome.cases.lifecycle import services as lifecycle
from onehome.cases.models import Case
from onehome.notifications.models import Notification
from onehome.notifications.services import notify

pytestmark = pytest.mark.django_db


def _case_links(html: str, pk: int) -> int:
    return len(re.findall(rf'href="/cases/{pk}/"', html))


def _badge(html: str) -> int:
    found = re.search(r"rounded-pill[^>]*>(\d+)<", html)
    return int(found.group(1)) if found else 0


def test_my_work_lists_a_case_once_however_many_reasons(
    client, make_case, case_worker, case_supervisor
):
    case = make_case()
    lifecycle.assign_worker(
        actor=case_supervisor,
        case_id=case.pk,
        user_id=case_worker.pk,
        version=case.version,
        lead=True,
    )
    # assigned (as lead), of the worker's unit and overdue: three reasons, one row
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    client.force_login(case_worker)
    page = client.get(reverse("cases:my_work"))
    html = page.content.decode()
    assert _case_links(html, case.pk) == 1
    assert set(re.findall(r'data-reason="(\w+)"', html)) == {"lead", "unit", "overdue"}
    assert page.context["counts"]["overdue"] == 1
    assert page.context["page"].paginator.count == 1


def test_my_work_pages_its_cases_with_counts(client, make_case, case_worker, monkeypatch):
    monkeypatch.setattr("onehome.cases.lifecycle.views.WORK_PAGE_SIZE", 2)
    cases = [make_case() for _ in range(5)]  # all of the worker's unit
    client.force_login(case_worker)
    first = client.get(reverse("cases:my_work"), {"rpage": "1"})
    assert first.status_code == 200
    assert first.context["page"].paginator.count == 5 and len(first.context["cases"]) == 2
    html = first.content.decode()
    assert 'data-count="cases">5<' in html
    # the page links keep the other query parameters, with Thai labels
    assert "?rpage=1&amp;page=2" in html and "ถัดไป" in html
    shown = []
    for number in (1, 2, 3):
        page = client.get(reverse("cases:my_work"), {"page": number})
        shown += [c.pk for c in page.context["cases"]]
        # the audit names the cases of the page shown, not the whole list
        row = AuditEvent.objects.filter(purpose="my work").latest("id")
        assert str(page.context["cases"][0].pk) in str(row.after or row.object_id)
    assert sorted(shown) == sorted(c.pk for c in cases)


@pytest.mark.parametrize(("number", "expected"), [("abc", 1), ("99999", 3), ("-1", 3), ("", 1)])
def test_my_work_bad_page_numbers_answer_a_page(
    client, make_case, case_worker, monkeypatch, number, expected
):
    monkeypatch.setattr("onehome.cases.lifecycle.views.WORK_PAGE_SIZE", 2)
    for _ in range(5):
        make_case()
    client.force_login(case_worker)
    page = client.get(reverse("cases:my_work"), {"page": number, "rpage": number})
    assert page.status_code == 200
    assert page.context["page"].number == expected


def test_notifications_page_pages_and_marks_the_shown_ones_read(client, case_worker, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for i in range(30):
        notify(users=[case_worker], kind="test", title=f"งานที่ {i}")
    client.force_login(case_worker)
    assert _badge(client.get(reverse("cases:my_work")).content.decode()) == 30
    first = client.get(reverse("notifications:inbox"))
    rows = first.context["rows"]
    assert len(rows) == 25 and first.context["total"] == 30 and first.context["inbox_unread"] == 30
    # newest first; shown unread on this page, read from now on
    assert rows[0].title == "งานที่ 29" and all(n.read_at is None for n in rows)
    html = first.content.decode()
    assert "30 unread of 30" in html and "count as read once you have seen them" in html
    read = set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True))
    assert read == {n.pk for n in rows}
    assert _badge(html) == 5
    second = client.get(reverse("notifications:inbox"), {"page": 2})
    assert [n.title for n in second.context["rows"]] == [f"งานที่ {i}" for i in range(4, -1, -1)]
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    assert _badge(second.content.decode()) == 0


@pytest.mark.parametrize(("number", "expected"), [("abc", 1), ("99999", 2), ("0", 2)])
def test_notifications_bad_page_numbers_answer_a_page(client, case_worker, number, expected):
    for i in range(30):
        notify(users=[case_worker], kind="test", title=f"งานที่ {i}")
    client.force_login(case_worker)
    page = client.get(reverse("notifications:inbox"), {"page": number})
    assert page.status_code == 200 and page.context["page"].number == expected


def test_notifications_api_pages_as_before_and_shows_what_the_page_marked_read(case_worker, client):
    from onehome.cases.tests.helpers import api_for  # why: the cases tests' API client

    for i in range(60):
        notify(users=[case_worker], kind="test", title=f"งานที่ {i}")
    api = api_for(case_worker)
    body = api.get("/api/notifications/").json()
    # the API pages by itself (50 a page) and reading it marks nothing read
    assert body["count"] == 60 and len(body["results"]) == 50 and body["next"]
    assert Notification.objects.filter(read_at__isnull=True).count() == 60
    client.force_login(case_worker)
    client.get(reverse("notifications:inbox"))
    body = api.get("/api/notifications/").json()
    assert [n["read_at"] is not None for n in body["results"]] == [True] * 25 + [False] * 25
