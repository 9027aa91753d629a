"""Idempotent intake as a client expects it: the first request answers 201; a replay with
the same key and the same body answers 200 with the first report, never a second 201; the
same key with a different body answers 422 in the caller's language and saves nothing."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from onehome.access.models import AuditEvent, Role
from onehome.cases.intake import idempotency
from onehome.cases.models import Party, Report
from onehome.cases.tests.helpers import api_for, report_body
from onehome.cases.tests.test_pages import intake_data, login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "org_57", "centre")]


def post(api, body, key="key-1", **extra):
    return api.post("/api/reports/", body, format="json", HTTP_IDEMPOTENCY_KEY=key, **extra)


def saved() -> tuple[int, int, int]:
    """Reports, parties and report audit events written so far."""
    events = AuditEvent.objects.filter(object_type="cases.report")
    return Report.objects.count(), Party.objects.count(), events.count()


def test_a_replay_answers_200_with_the_first_answer(operator):
    api = api_for(operator)
    first = post(api, report_body())
    assert first.status_code == 201, first.content
    again = post(api, report_body())
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert saved() == (1, 2, 1)


def test_a_replay_answers_200_when_the_first_was_received_by_a_clock_running_ahead(operator):
    # Two app servers, one clock a few seconds ahead: still a replay, never a second 201.
    api = api_for(operator)
    first = post(api, report_body())
    ahead = timezone.now() + dt.timedelta(seconds=30)
    Report.objects.filter(pk=first.json()["id"]).update(received_at=ahead)
    again = post(api, report_body())
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_a_resend_differing_only_in_what_intake_normalises_is_a_replay(operator):
    api = api_for(operator)
    assert post(api, report_body(risks=["bedridden"])).status_code == 201
    resend = report_body(risks=["bedridden", "bedridden"], summary=" ยายติดเตียง อยู่คนเดียว ")
    assert post(api, resend).status_code == 200
    assert saved()[0] == 1


@pytest.mark.parametrize(
    "change",
    [
        {"summary": "ยายล้มในห้องน้ำ"},
        {"urgency": "critical"},
        {"risks": ["drugs"]},
        {"address": "99 หมู่ 9"},
        {"reporter_name": "สมหญิง"},
        {"occurred_at": "2024-01-02T03:04:05+07:00"},
        {"parties": [{"role": "victim", "name": "ยายแก้ว", "age": 83}]},
        {"parties": []},
        {"call_type": "enquiry", "close_enquiry": True},
    ],
)
def test_the_same_key_with_a_different_body_answers_422_and_saves_nothing(operator, change):
    api = api_for(operator)
    first = post(api, report_body())
    before = saved()
    refused = post(api, report_body(**change))
    assert refused.status_code == 422, refused.content
    assert refused.json()["code"] == "idempotency_key_reused"
    assert "already used for a different report" in refused.json()["detail"]
    assert saved() == before
    report = Report.objects.get()
    assert report.pk == first.json()["id"] and report.summary == "ยายติดเตียง อยู่คนเดียว"


def test_the_refusal_is_in_thai_for_a_thai_client(operator):
    api = api_for(operator)
    post(api, report_body())
    refused = post(api, report_body(summary="อื่น"), HTTP_ACCEPT_LANGUAGE="th")
    assert refused.status_code == 422
    assert "ถูกใช้กับการแจ้งเหตุอื่นที่เนื้อหาต่างกันไปแล้ว" in refused.json()["detail"]


def test_a_key_someone_else_used_answers_422(operator, make_user):
    post(api_for(operator), report_body())
    other = make_user(Role.HOTLINE_OPERATOR, level="nation", code="")
    refused = post(api_for(other), report_body())
    assert refused.status_code == 422 and saved()[0] == 1


def test_two_first_requests_racing_end_with_one_report_one_201_and_one_200(operator, monkeypatch):
    """The loser of the race looked for the key before the winner committed, so its insert
    fails on the unique key; it must answer the winner's report with 200. The winner's
    clock runs ahead, so its report seems received after the loser began."""
    api = api_for(operator)
    won = post(api, report_body())
    Report.objects.update(received_at=timezone.now() + dt.timedelta(seconds=30))
    look_up = idempotency.first_with_key
    calls = []

    def not_yet_committed(key, actor):
        calls.append(key)
        return None if len(calls) == 1 else look_up(key, actor)

    monkeypatch.setattr(idempotency, "first_with_key", not_yet_committed)
    lost = post(api, report_body())
    assert len(calls) > 1  # the insert did fail on the key
    assert (won.status_code, lost.status_code) == (201, 200)
    assert lost.json()["id"] == won.json()["id"] and saved() == (1, 2, 1)


def test_the_intake_page_refuses_a_changed_resubmission_with_the_same_key(client, operator):
    login(client, operator)
    assert client.post(reverse("cases:intake"), intake_data()).status_code == 302
    changed = client.post(reverse("cases:intake"), intake_data(summary="เรื่องอื่น"))
    assert changed.status_code == 200
    assert "ถูกใช้กับการแจ้งเหตุอื่นที่เนื้อหาต่างกันไปแล้ว" in changed.content.decode()  # pages: Thai
    assert Report.objects.count() == 1


def test_the_schema_documents_201_200_and_422(operator):
    schema = api_for(operator).get("/api/schema/", {"format": "json"})
    operation = json.loads(schema.content)["paths"]["/api/reports/"]["post"]
    assert {"200", "201", "422"} <= set(operation["responses"])
