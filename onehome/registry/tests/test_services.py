"""Registering people and households, moving between households, duplicates and merges."""

import datetime as dt

import pytest
from django.utils import timezone

from onehome.access.models import AuditEvent, Role
from onehome.conftest import WIANG, make_thai_id
from onehome.errors import DuplicateError, NotInScopeError, StaleVersionError, ValidationError
from onehome.registry import merge, selectors, services
from onehome.registry.models import Household, IdType, Membership, Person
from onehome.registry.target_groups import household_group_q, person_group_q, years_ago

pytestmark = pytest.mark.django_db


def test_a_second_person_with_the_same_national_id_is_refused_with_the_existing_one(make_person):
    number = make_thai_id()
    first = make_person(id_number=number)
    with pytest.raises(DuplicateError) as err:
        make_person("อื่น", "คน", id_number=number)
    assert err.value.existing == first
    assert Person.objects.count() == 1


def test_likely_duplicates_are_shown_before_creating(worker, make_person):
    existing = make_person("ประเสริฐ", "วงศ์ใหญ่", birth_year=1960)
    with pytest.raises(services.LikelyDuplicatesError) as err:
        services.register_person(
            actor=worker,
            id_type=IdType.NONE,
            id_number=None,
            first_name_th="ประเสิฐ",
            last_name_th="วงใหญ่",
            birth_year=1960,
            subdistrict=WIANG,
        )
    assert err.value.candidates == [existing]
    assert Person.objects.count() == 1
    services.register_person(
        actor=worker,
        id_type=IdType.NONE,
        id_number=None,
        first_name_th="ประเสิฐ",
        last_name_th="วงใหญ่",
        birth_year=1960,
        subdistrict=WIANG,
        acknowledge_duplicates=True,
    )
    assert Person.objects.count() == 2


def test_a_different_birth_year_is_not_a_likely_duplicate(worker, make_person):
    make_person("ประเสริฐ", "วงศ์ใหญ่", birth_year=1960)
    found = selectors.likely_duplicates(
        user=worker,
        first_name_th="ประเสริฐ",
        last_name_th="วงศ์ใหญ่",
        birth_year=1990,
        subdistrict=Person.objects.get().subdistrict,
    )
    assert found == []


def test_bad_input_saves_nothing(worker):
    cases = [
        {"id_type": IdType.THAI_ID, "id_number": "1101700230705", "subdistrict": WIANG},
        {"id_type": IdType.THAI_ID, "id_number": make_thai_id(), "subdistrict": "999999"},
        {"id_type": IdType.NONE, "id_number": None, "subdistrict": WIANG, "village": "10010101"},
        {"id_type": IdType.NONE, "id_number": None, "subdistrict": WIANG, "birth_year": 10},
        {
            "id_type": IdType.NONE,
            "id_number": None,
            "subdistrict": WIANG,
            "birth_date": timezone.localdate() + dt.timedelta(days=1),
        },
        {"id_type": "driving_licence", "id_number": "1", "subdistrict": WIANG},
    ]
    audited = AuditEvent.objects.count()  # the fixtures' own rows (the user's creation)
    for case in cases:
        with pytest.raises(ValidationError):
            services.register_person(actor=worker, first_name_th="ทดสอบ", **case)
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == audited  # append-only: the same count, no new row


def test_a_worker_cannot_register_outside_their_area(outsider):
    with pytest.raises(NotInScopeError):
        services.register_person(
            actor=outsider,
            id_type=IdType.NONE,
            id_number=None,
            first_name_th="ทดสอบ",
            subdistrict=WIANG,
        )
    assert Person.objects.count() == 0


def test_a_stale_update_is_refused_and_changes_nothing(worker, make_person):
    person = make_person()
    services.update_person(
        actor=worker, person_id=person.pk, expected_version=1, changes={"phone": "0811111111"}
    )
    with pytest.raises(StaleVersionError):
        services.update_person(
            actor=worker, person_id=person.pk, expected_version=1, changes={"phone": "0822222222"}
        )
    person.refresh_from_db()
    assert (person.phone, person.version) == ("0811111111", 2)


def test_moving_a_person_keeps_the_history(worker, make_person, make_household):
    person = make_person()
    first, second = make_household(house_no="1"), make_household(house_no="2", subdistrict="570102")
    services.add_member(
        actor=worker,
        household_id=first.pk,
        person_id=person.pk,
        relationship="head",
        since=dt.date(2020, 1, 1),
    )
    services.add_member(
        actor=worker,
        household_id=second.pk,
        person_id=person.pk,
        relationship="child",
        since=dt.date(2024, 6, 1),
    )
    history = list(Membership.objects.filter(person=person).order_by("start_date"))
    assert [(m.household_id, m.start_date, m.end_date) for m in history] == [
        (first.pk, dt.date(2020, 1, 1), dt.date(2024, 5, 31)),
        (second.pk, dt.date(2024, 6, 1), None),
    ]
    person.refresh_from_db()
    assert person.subdistrict_id == "570102"


def test_a_household_has_one_head(worker, make_person, make_household):
    household = make_household()
    a, b = make_person(), make_person("สมศรี", "มีสุข")
    services.add_member(
        actor=worker, household_id=household.pk, person_id=a.pk, relationship="head"
    )
    with pytest.raises(ValidationError):
        services.add_member(
            actor=worker, household_id=household.pk, person_id=b.pk, relationship="head"
        )


def test_target_groups_are_derived_from_facts(worker, make_person, make_household):
    today = timezone.localdate()
    mother = make_person("แม่", "เดี่ยว", birth_year=1990)
    child = make_person("ลูก", "เดี่ยว", birth_date=years_ago(today, 5), birth_year=None)
    grandma = make_person("ยาย", "เดี่ยว", birth_year=1940, disability="physical")
    homeless = make_person("ไร้", "บ้าน", id_type=IdType.NONE, no_fixed_address=True)
    household = make_household()
    for p, rel in ((mother, "head"), (child, "child"), (grandma, "parent")):
        services.add_member(
            actor=worker, household_id=household.pk, person_id=p.pk, relationship=rel
        )

    def people(group):
        return set(Person.objects.filter(person_group_q(group, today=today)))

    assert people("child") == {child}
    assert people("elderly") == {grandma}
    assert people("disabled") == {grandma}
    assert people("homeless") == {homeless}
    assert set(Household.objects.filter(household_group_q("single_parent", today=today))) == {
        household
    }
    spouse = make_person("พ่อ", "กลับมา", birth_year=1988)
    services.add_member(
        actor=worker, household_id=household.pk, person_id=spouse.pk, relationship="spouse"
    )
    assert not Household.objects.filter(household_group_q("single_parent", today=today)).exists()


def test_a_merge_moves_every_link_is_audited_and_can_be_undone(
    worker, supervisor, make_person, make_household
):
    kept, duplicate = make_person("สมชาย", "ใจดี"), make_person("สมชาย", "ใจดี")
    household = make_household()
    services.add_member(
        actor=worker, household_id=household.pk, person_id=duplicate.pk, relationship="head"
    )
    result = merge.merge_people(
        actor=supervisor,
        kept_id=kept.pk,
        duplicate_id=duplicate.pk,
        reason="same person, two visits",
    )
    assert Membership.objects.get(household=household).person_id == kept.pk
    assert duplicate.pk not in {p.pk for p in selectors.people_in_scope(worker)}
    assert AuditEvent.objects.filter(action="merge", person_id=duplicate.pk).exists()
    merge.undo_merge(actor=supervisor, merge_id=result.pk, reason="different people after all")
    assert Membership.objects.get(household=household).person_id == duplicate.pk
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert AuditEvent.objects.filter(action="unmerge", person_id=kept.pk).exists()
    with pytest.raises(ValidationError):
        merge.undo_merge(actor=supervisor, merge_id=result.pk, reason="again")


def test_only_supervisors_merge(worker, make_person, make_user):
    a, b = make_person(), make_person()
    with pytest.raises(NotInScopeError):
        merge.merge_people(actor=worker, kept_id=a.pk, duplicate_id=b.pk, reason="x")
    outside_supervisor = make_user(Role.SUPERVISOR, code="10")
    with pytest.raises(NotInScopeError):
        merge.merge_people(actor=outside_supervisor, kept_id=a.pk, duplicate_id=b.pk, reason="x")


def test_every_foreign_key_to_person_is_moved_by_a_merge():
    links = {(m._meta.label_lower, f) for m, f in merge.person_links()}
    assert ("registry.membership", "person") in links
    assert ("registry.person", "merged_into") not in links


def test_search_finds_typos_and_national_ids(worker, outsider, make_person):
    number = make_thai_id()
    target = make_person("ประเสริฐ", "ศรีสวัสดิ์", id_number=number)
    make_person("มานี", "มีนา")
    assert selectors.search_people(worker, "ประเสิฐ ศรีสวัด")[0] == target
    assert selectors.search_people(worker, number) == [target]
    assert selectors.search_people(outsider, number) == []
    assert selectors.search_people(outsider, "ประเสริฐ") == []


def test_a_household_address_is_corrected_with_a_version_check(worker, make_person, make_household):
    household = make_household(house_no="1")
    person = make_person()
    services.add_member(actor=worker, household_id=household.pk, person_id=person.pk,
                        relationship="head")  # fmt: skip
    services.update_household(actor=worker, household_id=household.pk, expected_version=1,
                              changes={"house_no": "1/2", "village": "57010101"})  # fmt: skip
    person.refresh_from_db()
    assert person.village_id == "57010101"  # members' area follows their household
    with pytest.raises(StaleVersionError):
        services.update_household(actor=worker, household_id=household.pk, expected_version=1,
                                  changes={"house_no": "3"})  # fmt: skip
    with pytest.raises(ValidationError):
        services.update_household(actor=worker, household_id=household.pk, expected_version=2,
                                  changes={"subdistrict": "570102"})  # fmt: skip
    with pytest.raises(ValidationError):
        services.update_household(actor=worker, household_id=household.pk, expected_version=2,
                                  changes={"registration_no": "12"})  # fmt: skip
    household.refresh_from_db()
    assert (household.house_no, household.version) == ("1/2", 2)
    assert AuditEvent.objects.filter(household_id=household.pk, action="update").count() == 1
