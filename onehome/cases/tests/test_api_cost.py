"""The fast paths of the busy case endpoints answer exactly what the slow ones did: the
planned serializer output equals REST framework's own, `involved_by` equals `is_involved`,
the read of one case by its key refuses whom `visible_cases` refuses, and the number of
queries does not grow with the rows shown (docs/performance.md, "Cases API under load")."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.test import APIClient

from onehome.access.models import Role
from onehome.access.tests import chain_queries
from onehome.api.read_plan import PlannedOutput, unchanged_type
from onehome.cases.lifecycle import transitions
from onehome.cases.lifecycle.selectors import case_detail
from onehome.cases.lifecycle.serializers import CaseDetailSerializer, CaseListSerializer
from onehome.cases.models import Case, Party
from onehome.cases.tests.helpers import api_for, report_body
from onehome.cases.visibility.selectors import get_visible_case, visible_cases
from onehome.errors import NotInScopeError

pytestmark = pytest.mark.django_db


def _rest_framework_output(monkeypatch, make):
    """`make()` with every PlannedOutput serializer using REST framework's own code."""
    with monkeypatch.context() as m:
        m.setattr(
            PlannedOutput,
            "to_representation",
            lambda self, instance: serializers.ModelSerializer.to_representation(self, instance),
        )
        return make()


def test_the_case_detail_equals_rest_frameworks_output(monkeypatch, case_worker, busy_case):
    bundle = case_detail(case_worker, busy_case.pk, purpose="test")
    assert bundle.referrals and bundle.services and len(bundle.parties) == 2

    def detail():
        return CaseDetailSerializer(bundle.case, context=bundle.as_context()).data

    planned = detail()
    assert planned["parties"][0]["person_name"] or planned["parties"][1]["person_name"]
    assert planned == _rest_framework_output(monkeypatch, detail)


def test_the_case_list_rows_equal_rest_frameworks_output(monkeypatch, case_worker, busy_case):
    rows = api_for(case_worker).get("/api/cases/").json()["results"]
    case = Case.objects.select_related("owner", "subdistrict").get(pk=busy_case.pk)
    expected = _rest_framework_output(monkeypatch, lambda: CaseListSerializer(case).data)
    assert rows == [dict(expected)]


def test_involved_by_answers_as_is_involved(
    busy_case, case_worker, other_worker, case_supervisor, office_worker, provincial_head, nurse
):
    bundle = case_detail(case_worker, busy_case.pk, purpose="test")
    for user in (case_worker, other_worker, case_supervisor, office_worker, provincial_head, nurse):
        fast = transitions.involved_by(
            user, busy_case, assignments=bundle.assignments, referrals=bundle.referrals
        )
        assert fast == transitions.is_involved(user, busy_case), user.roles


@pytest.fixture
def nurse(make_user, hospital):
    return make_user(Role.SOCIAL_WORKER, organisation=hospital)


def test_reading_one_case_refuses_whom_visible_cases_refuses(
    make_case, case_worker, other_worker, outsider, operator, make_user, centre
):
    plain = make_case()
    sensitive = make_case(category="violence", subcategory="violence_child")
    assert sensitive.sensitive
    inspector = make_user(Role.INSPECTOR)
    volunteer = make_user(Role.VOLUNTEER)
    for user in (case_worker, other_worker, outsider, operator, inspector, volunteer):
        for case in (plain, sensitive):
            expected = visible_cases(user).filter(pk=case.pk).exists()
            try:
                get_visible_case(user, case.pk)
                seen = True
            except NotInScopeError:
                seen = False
            assert seen == expected, (user.roles, user.scope_code, case.sensitive)


def _queries(api, url: str):
    """The answer to GET `url` and the queries it cost besides its one audit row's (the
    row's INSERT and the hash chain's lock and head read: `chain_queries`)."""
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200
    chain, others = chain_queries.split(ctx.captured_queries)
    assert chain == chain_queries.per_row(1), (url, chain)
    return response, others


def test_detail_and_list_cost_the_same_queries_however_many_rows(case_worker, busy_case, make_case):
    api = api_for(case_worker)
    small = make_case()
    # The case, which parts it has, workers, parties, timeline (and the audit row).
    _, others = _queries(api, f"/api/cases/{small.pk}/")
    assert len(others) == 5, others
    # + its referrals, its services: one query each.
    _, others = _queries(api, f"/api/cases/{busy_case.pk}/")
    assert len(others) == 7, others
    for _n in range(3):
        make_case()
    # The page's ids, then its rows (and the audit row).
    response, others = _queries(api, "/api/cases/")
    assert len(response.json()["results"]) == 5
    assert len(others) == 2, others


def test_intake_reads_its_linked_people_in_one_query(
    operator, make_person, django_assert_max_num_queries, centre, case_worker
):
    api = api_for(operator)

    def intake(n: int) -> int:
        people = [make_person(f"คน{n}{i}") for i in range(n)]
        body = report_body(parties=[{"role": "victim", "person_id": p.pk} for p in people])
        with CaptureQueriesContext(connection) as ctx:
            response = api.post("/api/reports/", body, format="json")
        assert response.status_code == 201, response.content
        assert all(p["person_name"] for p in response.json()["parties"])
        # The answer is built from the parties as written: none is read back.
        party_table = Party._meta.db_table
        reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
        assert not [sql for sql in reads if f'FROM "{party_table}"' in sql]
        return len(ctx.captured_queries)

    assert intake(1) == intake(3)


def test_tokens_are_checked_against_the_database_on_every_request(case_worker):
    token, key = AuthToken.objects.create(user=case_worker)
    client = APIClient()
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/cases/", **auth).status_code == 200
    refused = (401, 403)  # 403: SessionAuthentication, listed first, sends no challenge
    assert client.get("/api/cases/", HTTP_AUTHORIZATION="Token nope").status_code in refused
    case_worker.is_active = False
    case_worker.save(update_fields=["is_active"])
    assert client.get("/api/cases/", **auth).status_code in refused
    case_worker.is_active = True
    case_worker.save(update_fields=["is_active"])
    assert client.get("/api/cases/", **auth).status_code == 200
    token.delete()
    assert client.get("/api/cases/", **auth).status_code in refused


def test_intake_answers_its_parties_as_a_later_read_does(operator, make_person, centre):
    """The answer is built from the parties as written (no read back): it must equal what
    the report's own endpoint shows afterwards."""
    api = api_for(operator)
    victim = make_person("ผู้เสียหาย")
    body = report_body(
        parties=[
            {"role": "victim", "person_id": victim.pk},
            {"role": "family", "name": "ลูกสาว", "sex": "female", "age": 40},
            {"role": "alleged_offender", "description": "ชายไม่ทราบชื่อ"},
        ]
    )
    response = api.post("/api/reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="same-answer")
    assert response.status_code == 201, response.content
    later = api.get(f"/api/reports/{response.json()['id']}/")
    assert later.status_code == 200
    assert response.json()["parties"] == later.json()["parties"]
    assert response.json()["parties"][0]["person_name"] == victim.full_name_th
    replay = api.post("/api/reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="same-answer")
    assert replay.status_code == 200
    assert replay.json()["parties"] == later.json()["parties"]


def test_a_value_written_unchanged_is_what_its_field_would_write():
    # `read_plan` skips `to_representation` for a value of the type `unchanged_type` names;
    # REST framework must write exactly that value (compared as JSON, where 1 is not true).
    fields = {
        "char": serializers.CharField(),
        "int": serializers.IntegerField(),
        "bool": serializers.BooleanField(),
        "choice": serializers.ChoiceField(choices=[("open", "Open"), ("closed", "Closed")]),
        "int choice": serializers.ChoiceField(choices=[(1, "one"), (2, "two")]),
    }
    values = ["", "open", "ทดสอบ", "1", "true", 0, 1, 2, -5, 10**20, True, False, 1.5]
    skipped = 0
    for name, field in fields.items():
        same = unchanged_type(field)
        for value in values:
            if type(value) is same:
                skipped += 1
                written = field.to_representation(value)
                assert json.dumps(written) == json.dumps(value), (name, value)
                assert type(written) is type(value), (name, value)
    assert unchanged_type(fields["int choice"]) is None  # keys that are not text: the field
    assert skipped == 5 + 5 + 2 + 5  # text (char, choice), whole numbers, booleans
