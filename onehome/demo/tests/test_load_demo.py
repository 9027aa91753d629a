"""The demo province: a small load (200 households) has the shape of the full one."""

import io
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone
from stdnum.th import pin

from onehome.access.models import AuditEvent, Role, ScopeLevel, User
from onehome.demo.build import build_demo
from onehome.demo.logins import DEMO_PASSWORD
from onehome.geo.models import Province, Subdistrict, Village
from onehome.geo.services import load_geography
from onehome.orgs.models import Agreement, Organisation, OrgKind
from onehome.registry import identity, matching
from onehome.registry.merge import merge_people
from onehome.registry.models import Household, IdType, Membership, Person, Relationship
from onehome.registry.target_groups import household_group_q, person_group_q

CHIANG_RAI = "57"
HOUSEHOLDS = 200
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


def _build(**kw):
    return build_demo(households=HOUSEHOLDS, progress=False, stdout=io.StringIO(), **kw)


def _people_and_network_only(patch: pytest.MonkeyPatch) -> None:
    """These tests are about people, households, the network and logins. The cases and the
    survey phases run the case services and the targeting engine over the whole province
    (minutes here); they have their own tests (test_demo_cases.py, targeting's demo test)."""
    patch.setattr("onehome.demo.cases.province_has_cases", lambda province: True)
    patch.setattr("onehome.demo.survey.build_survey", lambda **kw: None)
    # The volunteers phase works on the survey's target households (test_demo_volunteers.py).
    patch.setattr("onehome.demo.volunteers.province_has_volunteers", lambda province: True)


@pytest.fixture(autouse=True)
def people_and_network_only(monkeypatch):
    _people_and_network_only(monkeypatch)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One load for the module, rolled back at the end: each test runs in its own savepoint
    within it (a test that loads again or resets is rolled back to the shared load). A load
    cost about ten seconds, once per test before. The load command's test, which needs an
    empty province, is in test_load_demo_command.py."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        _people_and_network_only(patch)
        # Hashing 13 demo passwords with the production hasher would dominate the time.
        with override_settings(PASSWORD_HASHERS=[MD5]), transaction.atomic():
            if not Province.objects.filter(code=CHIANG_RAI).exists():
                load_geography()
            yield _build()
            transaction.set_rollback(True)


@pytest.fixture
def demo(built, db, settings):
    settings.PASSWORD_HASHERS = [MD5]
    return built


def _people():
    return Person.objects.filter(subdistrict__province_id=CHIANG_RAI)


def _households():
    return Household.objects.filter(subdistrict__province_id=CHIANG_RAI)


def test_builds_about_three_people_per_household(demo):
    assert _households().count() == HOUSEHOLDS
    people = _people().count()
    assert people == demo.population.people
    assert 2.5 * HOUSEHOLDS < people < 3.6 * HOUSEHOLDS
    sizes = Counter(_households().annotate(n=Count("memberships")).values_list("n", flat=True))
    assert min(sizes) >= 1 and max(sizes) <= 7


def test_every_household_has_exactly_one_current_head(demo):
    heads = Counter(
        Membership.objects.filter(
            household__in=_households(), end_date=None, relationship=Relationship.HEAD
        ).values_list("household_id", flat=True)
    )
    assert len(heads) == HOUSEHOLDS
    assert set(heads.values()) == {1}


def test_members_live_where_their_household_is(demo):
    for m in Membership.objects.filter(household__in=_households()).select_related(
        "person", "household"
    ):
        assert m.person.subdistrict_id == m.household.subdistrict_id
        assert m.person.village_id == m.household.village_id
        assert m.start_date <= timezone.localdate()
        assert m.person.birth_date is None or m.start_date >= m.person.birth_date


def test_every_document_number_passes_the_registry_checks(demo):
    numbers = list(_people().values_list("id_type", "id_number"))
    thai = [n for t, n in numbers if t == IdType.THAI_ID]
    assert len(thai) > 0.9 * len(numbers)
    assert all(pin.is_valid(n) for n in thai)
    for id_type, number in numbers:
        assert identity.normalise_id(id_type, number) == number
    documented = [(t, n) for t, n in numbers if n]
    assert len(documented) == len(set(documented))


def test_search_keys_are_those_the_registry_services_write(demo):
    for p in _people():
        assert p.name_key == matching.name_key(p.first_name_th, p.last_name_th)
        assert p.first_sdx == matching.sdx(p.first_name_th)
        assert p.last_sdx == matching.sdx(p.last_name_th)
        assert p.name_key and p.first_sdx


def test_homeless_people_have_no_document_and_no_household(demo):
    homeless = _people().filter(no_fixed_address=True)
    assert homeless.count() == demo.population.homeless >= 5
    assert not homeless.exclude(id_type=IdType.NONE).exists()
    assert not Membership.objects.filter(person__in=homeless).exists()


def test_target_groups_find_every_group(demo):
    today = timezone.localdate()
    for group in ["child", "youth", "elderly", "disabled", "homeless"]:
        assert _people().filter(person_group_q(group, today=today)).exists(), group
    assert _households().filter(household_group_q("single_parent", today=today)).exists()
    people = _people().count()
    children = _people().filter(person_group_q("child", today=today)).count()
    elderly = _people().filter(person_group_q("elderly", today=today)).count()
    assert 0.12 < children / people < 0.32
    assert 0.12 < elderly / people < 0.32


def test_each_subdistrict_has_8_to_20_numbered_villages(demo):
    subs = Subdistrict.objects.filter(province_id=CHIANG_RAI)
    assert subs.count() == 124
    per_sub = Counter(
        Village.objects.filter(subdistrict__in=subs).values_list("subdistrict_id", flat=True)
    )
    assert set(per_sub) == set(subs.values_list("code", flat=True))
    assert all(8 <= n <= 20 for n in per_sub.values())
    for v in Village.objects.filter(subdistrict__in=subs):
        assert v.code[:6] == v.subdistrict_id and v.number == int(v.code[6:])
        assert v.name_th.startswith("บ้าน")


def test_network_has_the_office_centres_and_partners_with_mous(demo):
    office = Organisation.objects.get(code="57-PSO", kind=OrgKind.PROVINCIAL_OFFICE)
    assert Organisation.objects.filter(kind=OrgKind.MINISTRY_DEPARTMENT, province=None).count() >= 7
    assert Organisation.objects.filter(code="57-ONEHOME", kind=OrgKind.ONE_HOME_TEAM).exists()
    units = Organisation.objects.filter(kind=OrgKind.PROVINCIAL_UNIT, province_id=CHIANG_RAI)
    assert units.exists()
    assert set(units.values_list("parent__kind", flat=True)) == {OrgKind.MINISTRY_DEPARTMENT}
    for sub in Subdistrict.objects.filter(province_id=CHIANG_RAI):
        centre = Organisation.objects.get(code=f"CENTRE-AC-{sub.code}")
        assert centre.location_id == sub.code
        assert centre.serves.filter(code=sub.code).exists()
    for kind in [OrgKind.UNIVERSITY, OrgKind.HOSPITAL, OrgKind.POLICE, OrgKind.LOCAL_GOVERNMENT]:
        assert Organisation.objects.filter(kind=kind, province_id=CHIANG_RAI).exists(), kind
    mous = Agreement.objects.filter(parties=office)
    assert mous.count() == demo.agreements
    assert all(list(m.provinces.values_list("code", flat=True)) == ["57"] for m in mous)


def test_one_login_per_role_with_an_area_scope(demo):
    for role in Role:
        user = User.objects.get(username=role.value)
        assert user.roles == [role.value]
        assert user.scope_level in ScopeLevel.values
        assert user.scope_level == ScopeLevel.NATION or user.scope_code
        assert user.organisation_id is not None
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="volunteer").scope_code == "570101"
    assert User.objects.get(username="inspector").scope_code == "16"
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    bkk = User.objects.get(username="worker_bkk")
    assert (bkk.scope_level, bkk.scope_code) == (ScopeLevel.PROVINCE, "10")


def test_running_again_without_reset_adds_no_people(demo):
    people, orgs = Person.objects.count(), Organisation.objects.count()
    users, mous = User.objects.count(), Agreement.objects.count()
    again = _build()
    assert again.people_skipped
    assert Person.objects.count() == people
    assert (Organisation.objects.count(), User.objects.count(), Agreement.objects.count()) == (
        orgs,
        users,
        mous,
    )


def _data_events() -> int:
    """Audit rows but those of the demo logins: each load resets their passwords, which
    is audited like any password change (onehome/access/user_changes.py)."""
    return AuditEvent.objects.exclude(object_type__in=["access.user", "knox.authtoken"]).count()


def test_reset_rebuilds_the_same_people_and_keeps_the_audit_log(demo):
    keys = sorted(_people().values_list("name_key", "id_number"))
    events = _data_events()
    again = _build(reset=True)
    assert not again.people_skipped
    assert again.deleted["people"] == len(keys)
    assert sorted(_people().values_list("name_key", "id_number")) == keys
    assert _data_events() == events + 1


def test_the_load_is_one_audit_event_with_the_counts(demo):
    events = AuditEvent.objects.filter(object_type="demo", object_id=CHIANG_RAI)
    assert events.count() == 1
    event = events.get()
    assert event.actor_id is None and event.purpose == "demo data load"
    assert event.after["households"] == HOUSEHOLDS
    assert event.after["people"] == demo.population.people
    assert not AuditEvent.objects.filter(person_id__isnull=False).exists()


def test_reset_works_after_people_were_merged(demo):
    homeless = _people().filter(no_fixed_address=True).first()
    kept = _people().filter(no_fixed_address=False).first()
    merge_people(
        actor=User.objects.get(username="supervisor"),
        kept_id=kept.pk,
        duplicate_id=homeless.pk,
        reason="same person met at the market",
    )
    events = _data_events()
    again = _build(reset=True)
    assert again.deleted["people"] == demo.population.people
    assert _people().count() == demo.population.people
    assert _data_events() == events + 1
