"""The sensitive-case rule's fast path (`visibility.selectors.SensitiveAllowed`, written once
as SQL) gives exactly the cases of its specification (`visibility.sensitive_rule`, the rule
as `Exists` sub-queries, the form the reads had before the fast path): for every kind of
user, in `visible_cases`, in `cases_needing_glass` (a negation), inside sub-queries under
another alias (`visible_referrals`) and in the case list's compiled page."""

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from onehome.access.models import Role, ScopeLevel
from onehome.access.roles import Action
from onehome.access.scope import scoped
from onehome.cases.models import Case, GlassBreak, Referral, ReferralStatus
from onehome.cases.visibility.selectors import (
    SensitiveAllowed,
    cases_needing_glass,
    newest_visible_case_ids,
    visible_cases,
    visible_referrals,
)
from onehome.cases.visibility.sensitive_rule import sensitive_allowed_q
from onehome.geo.models import InspectionRegion, Province
from onehome.geo.selectors import forget_subdistrict_codes

from .helpers import api_for
from .sla_factories import make_case, make_org, make_staff

pytestmark = pytest.mark.django_db


def reference_allowed(user) -> Q:
    """The specification, now (the fast path reads the clock on each call too)."""
    return sensitive_allowed_q(user, now=timezone.now())


def reference_visible(user):
    qs = scoped(user, Case.objects.all(), action=Action.READ_CASES)
    return qs.filter(Q(sensitive=False) | reference_allowed(user))


def reference_needing_glass(user):
    qs = scoped(user, Case.objects.all(), action=Action.READ_CASES).filter(sensitive=True)
    return qs.exclude(reference_allowed(user))


def ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


@pytest.fixture
def world():
    """Sensitive and ordinary cases reached in every way the rule knows, and users of
    every kind: assigned, colleague, supervisor of the owner or of an assigned worker,
    glass holders (live and expired), a referral's receiver (live and declined), with
    and without an agency, supervisors or not (a provincial head of the owner is not)."""
    owner, helper, shelter, declined_org, elsewhere = (make_org(f"org {i}") for i in range(5))
    assigned = make_staff(Role.SOCIAL_WORKER, org=helper)
    colleague = make_staff(Role.SOCIAL_WORKER, org=helper)
    users = {
        "assigned": assigned,
        "colleague": colleague,
        "helper supervisor": make_staff(Role.SUPERVISOR, org=helper),
        "owner supervisor": make_staff(Role.SUPERVISOR, org=owner),
        "owner worker": make_staff(Role.SOCIAL_WORKER, org=owner),
        "shelter worker": make_staff(Role.SOCIAL_WORKER, org=shelter),
        "declined worker": make_staff(Role.SOCIAL_WORKER, org=declined_org),
        "glass holder": make_staff(Role.HOTLINE_OPERATOR, org=elsewhere),
        "expired glass": make_staff(Role.HOTLINE_OPERATOR, org=elsewhere),
        "supervisor without agency": make_staff(Role.SUPERVISOR, org=None),
        "worker without agency": make_staff(Role.SOCIAL_WORKER, org=None),
        "owner head": make_staff(Role.PROVINCIAL_HEAD, org=owner),
        "owner hotline": make_staff(Role.HOTLINE_OPERATOR, org=owner),
        "shelter supervisor": make_staff(Role.SUPERVISOR, org=shelter),
        "declined supervisor": make_staff(Role.SUPERVISOR, org=declined_org),
        "elsewhere supervisor": make_staff(Role.SUPERVISOR, org=elsewhere),
        "supervisor and worker": make_staff(Role.SUPERVISOR, Role.SOCIAL_WORKER, org=helper),
        "inspector": make_staff(Role.INSPECTOR, org=None),
        "volunteer": make_staff(Role.VOLUNTEER, org=None),
    }
    cases = [
        make_case(owner=owner, sensitive=True, workers=(assigned,)),
        make_case(owner=owner, sensitive=True),
        make_case(owner=elsewhere, sensitive=True),
        make_case(owner=owner, sensitive=False, workers=(assigned,)),
        make_case(owner=elsewhere, sensitive=False),
    ]
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    GlassBreak.objects.create(
        case=cases[1], user=users["glass holder"], reason="r", expires_at=now + hour
    )
    GlassBreak.objects.create(
        case=cases[1], user=users["expired glass"], reason="r", expires_at=now - hour
    )
    for to_org, status in ((shelter, ReferralStatus.ACCEPTED), (declined_org, "declined")):
        Referral.objects.create(
            case=cases[2], from_org=elsewhere, to_org=to_org, need="n", status=status,
            sent_by=users["owner supervisor"],
        )  # fmt: skip
    return users, cases


def test_the_rule_in_sql_gives_the_rows_of_the_rule_in_querysets(world):
    users, cases = world
    shown = {}
    for name, user in users.items():
        assert ids(visible_cases(user)) == ids(reference_visible(user)), name
        assert ids(cases_needing_glass(user)) == ids(reference_needing_glass(user)), name
        expected = set(
            Referral.objects.filter(case__in=reference_visible(user)).values_list("pk", flat=True)
        )
        assert ids(visible_referrals(user)) == expected, name
        shown[name] = ids(visible_cases(user))
    # The world is not trivial: the rule both opens and hides sensitive cases.
    sensitive = {c.pk for c in cases if c.sensitive}
    assert shown["assigned"] & sensitive == {cases[0].pk}
    assert shown["colleague"] & sensitive == set()
    assert shown["owner supervisor"] & sensitive == {cases[0].pk, cases[1].pk}
    assert shown["helper supervisor"] & sensitive == {cases[0].pk}
    assert shown["glass holder"] & sensitive == {cases[1].pk}
    assert shown["expired glass"] & sensitive == set()
    assert shown["shelter worker"] & sensitive == {cases[2].pk}
    assert shown["declined worker"] & sensitive == set()
    assert shown["volunteer"] == set()
    assert shown["owner head"] & sensitive == set()
    assert shown["owner hotline"] & sensitive == set()
    assert shown["shelter supervisor"] & sensitive == {cases[2].pk}
    assert shown["declined supervisor"] & sensitive == set()
    assert shown["elsewhere supervisor"] & sensitive == {cases[2].pk}
    assert shown["supervisor and worker"] & sensitive == {cases[0].pk}
    assert shown["supervisor without agency"] & sensitive == set()
    assert shown["worker without agency"] & sensitive == set()


def test_the_fast_path_is_the_specification_on_every_sensitive_case(world, monkeypatch):
    """Case by case, for every user, at three times (grants live, all expired, none yet
    given): `SensitiveAllowed.of(user)` admits the sensitive cases the specification does."""
    users, cases = world
    sensitive = Case.objects.filter(sensitive=True)
    assert sensitive.count() == 3
    start = timezone.now()
    for when in (start, start + dt.timedelta(hours=2), start - dt.timedelta(days=1)):
        monkeypatch.setattr("onehome.cases.visibility.selectors.timezone.now", lambda w=when: w)
        for name, user in users.items():
            fast = ids(sensitive.filter(SensitiveAllowed.of(user)))
            spec = ids(sensitive.filter(sensitive_allowed_q(user, now=when)))
            assert fast == spec, (name, when)
            assert ids(sensitive.exclude(SensitiveAllowed.of(user))) == ids(
                sensitive.exclude(sensitive_allowed_q(user, now=when))
            ), (name, when)
    # The times matter: the glass holder's grant is open now and closed two hours on.
    holder = users["glass holder"]
    assert ids(sensitive.filter(sensitive_allowed_q(holder, now=start))) == {cases[1].pk}
    later = start + dt.timedelta(hours=2)
    assert ids(sensitive.filter(sensitive_allowed_q(holder, now=later))) == set()


def _reference_page(user, start: int, stop: int) -> list[int]:
    return list(reference_visible(user).order_by("-id").values_list("pk", flat=True)[start:stop])


WINDOWS = ((0, 51), (0, 2), (1, 3), (2, 5), (4, 9), (1_100, 1_151))


def test_the_list_page_compiled_per_shape_is_the_rules_page(world):
    users, cases = world
    # Users of one shape in turn (two workers of one agency, the glass holders): each gets
    # their own page from the one compiled query, not the first caller's.
    for name, user in users.items():
        for start, stop in WINDOWS:
            assert newest_visible_case_ids(user, start, stop) == _reference_page(
                user, start, stop
            ), (name, start, stop)
    assert newest_visible_case_ids(users["assigned"], 0, 51) != newest_visible_case_ids(
        users["colleague"], 0, 51
    )
    # Another area, same shape as the assigned worker: none of these cases.
    outside = make_staff(Role.SOCIAL_WORKER, org=users["assigned"].organisation, code="10")
    assert newest_visible_case_ids(outside, 0, 51) == _reference_page(outside, 0, 51) == []


def test_the_compiled_list_page_binds_the_time_of_each_call(world, monkeypatch):
    users, cases = world
    holder = users["glass holder"]
    assert cases[1].pk in newest_visible_case_ids(holder, 0, 51)
    later = timezone.now() + dt.timedelta(hours=2)  # the grant (one hour) has expired
    monkeypatch.setattr("onehome.cases.visibility.selectors.timezone.now", lambda: later)
    assert cases[1].pk not in newest_visible_case_ids(holder, 0, 51)
    assert cases[1].pk not in ids(visible_cases(holder))


def _same_page_both_ways(user) -> list[int]:
    expected = _reference_page(user, 0, 51)
    assert newest_visible_case_ids(user, 0, 51) == expected
    assert newest_visible_case_ids(user, 1, 3) == expected[1:3]
    return expected


def test_the_list_page_of_region_nation_and_odd_areas_is_the_rules_page(world):
    users, cases = world
    org = users["assigned"].organisation
    region = Province.objects.get(code="57").region_id
    nation = make_staff(Role.SUPERVISOR, org=org, code="", scope_level=ScopeLevel.NATION)
    in_region = make_staff(Role.SOCIAL_WORKER, org=org, code=region, scope_level="region")
    assert set(_same_page_both_ways(nation)) >= {c.pk for c in cases if not c.sensitive}
    assert set(_same_page_both_ways(in_region)) >= {c.pk for c in cases if not c.sensitive}
    odd = [("province", "5X"), ("region", "nowhere"), ("district", "570"), ("province", "99")]
    for level, code in odd:
        user = make_staff(Role.SOCIAL_WORKER, org=org, code=code, scope_level=level)
        assert _same_page_both_ways(user) == [], (level, code)
        response = api_for(user).get("/api/cases/")  # was a 500 on SQLite (no codes)
        assert response.status_code == 200 and response.json()["results"] == []


def test_a_region_users_list_follows_a_change_of_the_geography(world):
    users, cases = world
    region = Province.objects.get(code="57").region
    user = make_staff(
        Role.SOCIAL_WORKER, org=users["owner worker"].organisation, code=region.code,
        scope_level="region",
    )  # fmt: skip
    ordinary = cases[4].pk
    assert ordinary in newest_visible_case_ids(user, 0, 51)
    elsewhere = InspectionRegion.objects.exclude(pk=region.pk).first()
    Province.objects.filter(code="57").update(region=elsewhere)
    forget_subdistrict_codes()  # as load_geography does
    try:
        assert ordinary not in _reference_page(user, 0, 51)
        assert ordinary not in newest_visible_case_ids(user, 0, 51)
    finally:
        forget_subdistrict_codes()  # the change is rolled back: so must the codes be
