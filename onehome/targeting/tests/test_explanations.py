"""A household's explanation names the failed indicators, the member, the value and the
cutoff, agrees with the run, and is personal data: scoped (404 outside) and audited."""

import pytest
from django.http import Http404

from onehome.access.models import AuditEvent, Role
from onehome.conftest import BANGKOK_SUB
from onehome.errors import NotInScopeError
from onehome.targeting.results.explanations import household_explanation
from onehome.targeting.tests import finished
from onehome.web.templatetags.onehome_ui import mask_id

# Values and rules are asserted in English (Thai is the default language).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def run(module_run):
    """One finished run for the module's tests (targeting/tests/conftest.py)."""
    return module_run


def explain(user, run, household="H1"):
    return household_explanation(user=user, run_id=run.pk, household_id=household, purpose="t")


def test_failed_indicators_name_member_value_and_cutoff(run, worker):
    x = explain(worker, run)
    failed = {(f.indicator, f.member) for f in x.failures}
    assert failed == {("bmn27", 1), ("bmn20", 2), ("bmn22", 1), ("bmn22", 2)}
    income = next(f for f in x.failures if f.indicator == "bmn22")
    assert income.value == "20,000" and income.cutoff == "38,000"
    assert "38,000" in income.rule and income.dimension == "income"
    care = next(f for f in x.failures if f.indicator == "bmn27")
    assert care.person_key == finished.KEY_H1_ELDER and care.value == "no"
    assert "60" in care.rule  # the age range is part of the rule in words


def test_target_status_follows_the_welfare_list(run, worker):
    x = explain(worker, run)
    assert x.poor and x.target
    assert [m.target for m in x.members] == [True, False]
    assert x.dimensions == ["income", "access"] or set(x.dimensions) == {"income", "access"}
    h3 = explain(worker, run, "H3")
    assert h3.poor and not h3.target


def test_a_household_that_is_not_poor_has_no_failures(run, worker):
    x = explain(worker, run, "H2")
    assert x.failures == [] and not x.poor


def test_explanation_agrees_with_the_run(run, worker):
    import duckdb

    row = duckdb.execute(
        "SELECT poor_members, target_members FROM read_parquet(?) WHERE household_id = 'H1'",
        [str(run.result_path / "households.parquet")],
    ).fetchone()
    x = explain(worker, run)
    assert row == (sum(m.poor for m in x.members), sum(m.target for m in x.members))


def test_reading_an_explanation_is_audited(run, worker):
    explain(worker, run)
    event = AuditEvent.objects.get(object_type="targeting.surveyhousehold")
    assert event.actor_id == worker.pk and event.subdistrict_code == "570101"


def test_out_of_scope_and_analysts_get_not_found(run, outsider, make_user):
    with pytest.raises(NotInScopeError):
        explain(outsider, run)
    with pytest.raises(NotInScopeError):
        explain(make_user(Role.ANALYST, level="nation", code=""), run)
    with pytest.raises(NotInScopeError):
        explain(outsider, run, "NO-SUCH-HOUSEHOLD")


def test_pages_answer_404_outside_the_area(client, run, outsider, worker):
    client.force_login(outsider)
    assert client.get(f"/targeting/runs/{run.pk}/households/H1/").status_code == 404
    client.force_login(worker)
    response = client.get(f"/targeting/runs/{run.pk}/households/H1/")
    assert response.status_code == 200
    body = response.content.decode()
    # bmn27 by its label, not its id (issue 15: labels, not codes).
    assert "ได้รับการดูแลจากครอบครัว" in body and "bmn27" not in body
    # The elder named by her masked number (the full one only on asking, audited).
    assert "38,000" in body and mask_id(finished.KEY_H1_ELDER) in body
    assert not isinstance(response, Http404)
    # A household indicator's one value is one entry for the whole household, in baht.
    entries = {e["failure"].indicator: e for e in response.context["failures"]}
    assert sorted(entries) == ["bmn20", "bmn22", "bmn27"]
    assert entries["bmn22"]["whole_household"] and len(entries["bmn22"]["members"]) == 2
    assert not entries["bmn27"]["whole_household"]
    assert body.count("ทั้งครัวเรือน") == 1  # the page is in Thai
    assert "20,000</strong> บาท/คน/ปี" in body
    assert entries["bmn27"]["failure"].cutoff == "ใช่"  # what a yes/no indicator needs: yes
    assert "ยากจนเมื่อขาดแคลนตัวชี้วัดใดตัวหนึ่ง" in body and "k=union" not in body


def test_members_are_named_from_the_registry_within_the_users_area(
    client, run, worker, outsider, make_person
):
    elder = make_person("บุญมา", "ใจดี", id_number=finished.KEY_H1_ELDER)
    client.force_login(worker)
    response = client.get(f"/targeting/runs/{run.pk}/households/H1/")
    members = {m.person_key: m for m in response.context["x"].members}
    assert members[finished.KEY_H1_ELDER].person == elder
    assert members[finished.KEY_H1_ADULT].person is None  # not in the registry
    assert (
        f'href="/people/{elder.pk}/"' in response.content.decode()
        and "บุญมา" in response.content.decode()
    )
    # The elder's own failure (bmn27: not cared for) names her too.
    care = next(e for e in response.context["failures"] if e["failure"].indicator == "bmn27")
    assert care["failure"].person == elder
    # A member registered outside the user's area stays unnamed.
    adult = make_person(
        "สมชาย", "ย้ายไป", id_number=finished.KEY_H1_ADULT, subdistrict=BANGKOK_SUB, actor=outsider
    )
    members = {
        m.person_key: m
        for m in client.get(f"/targeting/runs/{run.pk}/households/H1/").context["x"].members
    }
    assert members[finished.KEY_H1_ADULT].person is None and adult.id_number
    # Each look-up of registry people is audited with whom it found.
    lookups = AuditEvent.objects.filter(object_type="registry.person", object_id="documents")
    assert [e.after["ids"] for e in lookups.order_by("id")] == [[elder.pk], [elder.pk]]


def test_a_household_indicator_is_one_entry_naming_whose_answer_failed():
    from types import SimpleNamespace

    from onehome.targeting.results.failure_groups import failures_by_indicator

    def failure(indicator, unit, member, value):
        return SimpleNamespace(
            indicator=indicator, unit=unit, member=member, value=value, dimension="living"
        )

    failures = [
        failure("bmn09", "household", 2, "no"),  # one member's answer: the household's
        failure("bmn07", "person", 1, "no"),
        failure("bmn07", "person", 3, "no"),  # a person's indicator is never "whole"
    ]
    entries = {e["failure"].indicator: e for e in failures_by_indicator(failures, 3, {})}
    assert entries["bmn09"]["whole_household"]
    assert [f.member for f in entries["bmn09"]["answered_by"]] == [2]
    assert not entries["bmn07"]["whole_household"]
    assert [f.member for f in entries["bmn07"]["members"]] == [1, 3]
    # A household of one has no "whole household" to speak of.
    assert not failures_by_indicator(failures[:1], 1, {})[0]["whole_household"]


def test_person_keys_are_masked_unless_revealed_and_the_reveal_is_audited(client, run, worker):
    # The survey's person keys are national IDs: masked as the registry masks them, on the
    # page and in the API; the full number only on asking, and the asking is on the record.
    from rest_framework.test import APIClient

    key = finished.KEY_H1_ELDER
    client.force_login(worker)
    page = client.get(f"/targeting/runs/{run.pk}/households/H1/").content.decode()
    assert key not in page and key[-4:] in page and "?reveal=1" in page
    api = APIClient()
    api.force_authenticate(worker)
    body = api.get(f"/api/targeting/households/H1/?run={run.pk}").json()
    assert key not in str(body) and {m["person_key"][-4:] for m in body["members"]} >= {key[-4:]}
    revealed = client.get(f"/targeting/runs/{run.pk}/households/H1/?reveal=1").content.decode()
    assert key in revealed
    body = api.get(f"/api/targeting/households/H1/?run={run.pk}&reveal=1").json()
    assert key in {m["person_key"] for m in body["members"]}
    reads = AuditEvent.objects.filter(object_type="targeting.surveyhousehold").order_by("id")
    assert [e.purpose for e in reads] == [
        "explanation page",
        "api explanation",
        "explanation page, reveal id",
        "api explanation, reveal id",
    ]
