"""The scoping function: each level of area scope, and failing closed."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from onehome.access.models import Role, ScopeLevel
from onehome.access.scope import get_scoped_or_404, scoped
from onehome.conftest import BANGKOK_SUB, WIANG
from onehome.geo.models import Province
from onehome.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_person, make_user):
    bangkok_clerk = make_user(Role.CENTRE_STAFF, code="10")
    return {
        "wiang": make_person("สมชาย", "ใจดี"),
        "mae_sai": make_person("สมหญิง", "ใจงาม", subdistrict="571001"),
        "bangkok": make_person("มานะ", "อดทน", subdistrict=BANGKOK_SUB, actor=bangkok_clerk),
    }


@pytest.mark.parametrize(
    ("level", "code", "expected"),
    [
        (ScopeLevel.SUBDISTRICT, WIANG, {"wiang"}),
        (ScopeLevel.DISTRICT, "5701", {"wiang"}),
        (ScopeLevel.PROVINCE, "57", {"wiang", "mae_sai"}),
        (ScopeLevel.REGION, "16", {"wiang", "mae_sai"}),
        (ScopeLevel.REGION, "central", {"bangkok"}),
        (ScopeLevel.NATION, "", {"wiang", "mae_sai", "bangkok"}),
    ],
)
def test_a_user_sees_exactly_the_people_of_their_area(make_user, people, level, code, expected):
    user = make_user(Role.SOCIAL_WORKER, level=level, code=code)
    seen = set(scoped(user, Person.objects.all()).values_list("pk", flat=True))
    assert seen == {people[k].pk for k in expected}


def test_roles_without_personal_data_see_no_one(make_user, people):
    for role in (Role.ANALYST, Role.FUND_OFFICER, Role.EVALUATOR, Role.AUDITOR, Role.ADMIN):
        user = make_user(role, level=ScopeLevel.NATION, code="")
        assert not scoped(user, Person.objects.all()).exists(), role


def test_a_user_without_a_scope_sees_no_one(make_user, people):
    user = make_user(Role.SOCIAL_WORKER, level="", code="")
    assert not scoped(user, Person.objects.all()).exists()
    user = make_user(Role.SOCIAL_WORKER, level=ScopeLevel.PROVINCE, code="")
    assert not scoped(user, Person.objects.all()).exists()


def test_an_inactive_user_sees_no_one(make_user, people):
    user = make_user(Role.SOCIAL_WORKER, is_active=False)
    assert not scoped(user, Person.objects.all()).exists()


def test_out_of_scope_and_missing_records_look_the_same(outsider, people):
    with pytest.raises(Http404):
        get_scoped_or_404(outsider, Person.objects.all(), pk=people["wiang"].pk)
    with pytest.raises(Http404):
        get_scoped_or_404(outsider, Person.objects.all(), pk=10**9)
    with pytest.raises(Http404):
        get_scoped_or_404(outsider, Person.objects.all(), pk="not-a-number")


def test_a_model_without_a_scope_field_cannot_be_read(worker):
    with pytest.raises(ImproperlyConfigured):
        scoped(worker, Province.objects.all())


@pytest.mark.parametrize(
    ("role", "level", "code"),
    [
        (Role.SOCIAL_WORKER, ScopeLevel.SUBDISTRICT, WIANG),
        (Role.SOCIAL_WORKER, ScopeLevel.DISTRICT, "5701"),
        (Role.SOCIAL_WORKER, ScopeLevel.PROVINCE, "57"),
        (Role.SOCIAL_WORKER, ScopeLevel.REGION, "16"),
        (Role.SOCIAL_WORKER, ScopeLevel.NATION, ""),
        (Role.ANALYST, ScopeLevel.NATION, ""),
    ],
)
def test_areas_in_scope_agrees_with_area_in_scope_over_a_tree(make_user, role, level, code):
    # The tree's shortcut (inside parents, untouched parents) against the rule per area:
    # the nation, every province, the districts and sub-districts of Chiang Rai and Phayao
    # and Bangkok, and some villages.
    from onehome.access.scope import area_in_scope, areas_in_scope
    from onehome.geo.models import District, Subdistrict

    user = make_user(role, level=level, code=code)
    provinces = list(Province.objects.values_list("code", flat=True))
    near = ("57", "56", "10")
    districts = [d for d in District.objects.values_list("code", flat=True) if d[:2] in near]
    subs = [s for s in Subdistrict.objects.values_list("code", flat=True) if s[:2] in near]
    codes = ["", *provinces, *districts, *subs, *(s + "01" for s in subs[::7])]
    expected = {c for c in codes if area_in_scope(user, c)}
    assert areas_in_scope(user, codes) == expected
    assert ("570101" in expected) == (role != Role.ANALYST)  # the cases are not all empty
