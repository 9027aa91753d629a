"""The people and household pages: search, details, registration and editing, as a worker
would use them — and what an out-of-scope worker gets (404)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from onehome.access.models import AuditEvent
from onehome.conftest import BANGKOK_SUB
from onehome.registry import services
from onehome.registry.models import Person
from onehome.registry.target_groups import age

pytestmark = pytest.mark.django_db

ID_NUMBER = "1101700203450"


@pytest.fixture
def somchai(make_person):
    return make_person("สมชาย", "ใจดี", id_number=ID_NUMBER, birth_year=1967, sex="male")


@pytest.fixture
def home(worker, make_household, somchai):
    h = make_household(house_no="12/3")
    services.add_member(actor=worker, household_id=h.pk, person_id=somchai.pk, relationship="head")
    return h


@pytest.fixture
def wclient(client, worker):
    client.force_login(worker)
    return client


def person_data(**overrides) -> dict:
    data = {
        "id_type": "thai_id",
        "id_number": "3100600445716",
        "first_name_th": "มาลี",
        "last_name_th": "สุขสันต์",
        "sex": "female",
        "birth_date": "",
        "birth_year": "1980",
        "subdistrict": "570101",
        "village": "",
    }
    data.update(overrides)
    return data


def test_search_finds_a_typo_in_a_thai_name(wclient, somchai):
    response = wclient.get(reverse("registry:search"), {"q": "สมชัย ใจดี"})
    assert response.status_code == 200
    assert somchai in response.context["people"]
    body = response.content.decode()
    assert ID_NUMBER not in body  # the list shows the number masked
    assert ID_NUMBER[-4:] in body


def test_search_finds_by_national_id_and_prefix(wclient, somchai):
    for q in [ID_NUMBER, "1-1017-00203-45-0", ID_NUMBER[:8]]:
        response = wclient.get(reverse("registry:search"), {"q": q})
        assert response.context["people"] == [somchai], q


def test_live_search_answers_htmx_with_only_the_results(wclient, somchai):
    response = wclient.get(
        reverse("registry:search"), {"q": "สมชาย"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body and 'id="results"' in body and "สมชาย" in body


def test_search_filters_by_target_group_and_area(wclient, somchai, make_person):
    child = make_person("ด.ช.เก่ง", "ใจดี", birth_year=2015)
    response = wclient.get(reverse("registry:search"), {"group": "child"})
    assert response.context["people"] == [child]
    response = wclient.get(reverse("registry:search"), {"area": "500101"})
    assert response.context["people"] == []


def test_search_shows_nothing_out_of_scope(client, outsider, somchai):
    client.force_login(outsider)
    response = client.get(reverse("registry:search"), {"q": ID_NUMBER})
    assert response.context["people"] == []


def test_person_page_shows_details_in_buddhist_era_and_audits(wclient, somchai, home):
    response = wclient.get(reverse("registry:person", args=[somchai.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "พ.ศ. 2510 (โดยประมาณ)" in body
    years = age(somchai.birth_date, timezone.localdate())
    assert f"{years} ปี" in body
    assert ID_NUMBER not in body and "•" * 9 + ID_NUMBER[-4:] in body
    assert reverse("registry:household", args=[home.pk]) in body
    assert AuditEvent.objects.filter(person_id=somchai.pk, purpose="view").exists()


def test_person_page_shows_target_groups(wclient, make_person):
    elder = make_person("บุญมี", "มีสุข", birth_year=1950, disability="visual")
    body = wclient.get(reverse("registry:person", args=[elder.pk])).content.decode()
    assert "ผู้สูงอายุ (60 ปีขึ้นไป)" in body and "คนพิการ" in body and "ทางการเห็น" in body


def test_revealing_the_id_number_is_audited(wclient, somchai):
    response = wclient.get(reverse("registry:person", args=[somchai.pk]), {"reveal": "1"})
    assert ID_NUMBER in response.content.decode()
    assert AuditEvent.objects.filter(person_id=somchai.pk, purpose="reveal id").exists()


def test_out_of_scope_or_unknown_records_are_404(client, outsider, somchai, home):
    client.force_login(outsider)
    for url in [
        reverse("registry:person", args=[somchai.pk]),
        reverse("registry:household", args=[home.pk]),
        reverse("registry:person", args=[999999]),
        reverse("registry:person_edit", args=[somchai.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_household_page_lists_members_with_relationship_and_age(wclient, home, somchai):
    body = wclient.get(reverse("registry:household", args=[home.pk])).content.decode()
    assert "สมชาย" in body and "หัวหน้าครัวเรือน" in body
    assert 'name="person"' in body  # the add-member form


def test_add_member_moves_a_person_and_keeps_history(
    wclient, worker, home, make_person, make_household
):
    other = make_household(house_no="7")
    newcomer = make_person("สมหญิง", "รักดี")
    services.add_member(
        actor=worker, household_id=other.pk, person_id=newcomer.pk, relationship="head",
        since=__import__("datetime").date(2020, 1, 1),
    )  # fmt: skip
    url = reverse("registry:household_add_member", args=[home.pk])
    data = {"person": newcomer.pk, "relationship": "spouse", "since": ""}
    response = wclient.post(url, data)  # someone from another household: asked first
    assert response.status_code == 200 and response.context["confirm"]
    assert newcomer.memberships.count() == 1
    response = wclient.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert newcomer.memberships.count() == 2
    assert newcomer.memberships.get(end_date__isnull=True).household_id == home.pk


def test_household_list_filters_single_parent(wclient, home):
    response = wclient.get(reverse("registry:households"), {"group": "single_parent"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    response = wclient.get(reverse("registry:households"), {"area": "5701"})
    assert home in response.context["page"].object_list


def test_register_person_creates_and_redirects(wclient):
    response = wclient.post(reverse("registry:person_create"), person_data())
    person = Person.objects.get(id_number="3100600445716")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person", args=[person.pk])
    assert person.birth_date_approximate


def test_a_buddhist_era_birth_year_is_understood(wclient):
    response = wclient.post(reverse("registry:person_create"), person_data(birth_year="2523"))
    assert response.status_code == 302
    person = Person.objects.get(first_name_th="มาลี")
    assert person.birth_date == __import__("datetime").date(1980, 7, 1)


def test_a_two_digit_birth_year_is_asked_again_and_nothing_saved(wclient):
    response = wclient.post(reverse("registry:person_create"), person_data(birth_year="23"))
    assert response.status_code == 200
    errors = response.context["form"].errors["birth_year"]
    assert "2523" in errors[0] and "2023" in errors[0]
    assert not Person.objects.filter(first_name_th="มาลี").exists()


def test_a_buddhist_era_birth_date_typed_in_thai_order_is_stored_gregorian(wclient):
    data = person_data(birth_year="", birth_date="๑๒/๐๓/๒๕๑๐")
    response = wclient.post(reverse("registry:person_create"), data)
    assert response.status_code == 302
    person = Person.objects.get(first_name_th="มาลี")
    assert person.birth_date == __import__("datetime").date(1967, 3, 12)
    assert not person.birth_date_approximate


def test_invalid_national_id_is_explained_and_nothing_saved(wclient):
    response = wclient.post(
        reverse("registry:person_create"), person_data(id_number="3100600445717")
    )
    assert response.status_code == 200
    assert "เลขตรวจสอบ" in " ".join(response.context["form"].errors["id_number"])
    assert not Person.objects.filter(first_name_th="มาลี").exists()


def test_duplicate_document_links_to_the_registered_person(wclient, somchai):
    response = wclient.post(reverse("registry:person_create"), person_data(id_number=ID_NUMBER))
    assert response.context["existing"] == somchai
    assert reverse("registry:person", args=[somchai.pk]) in response.content.decode()


def test_likely_duplicates_are_shown_until_acknowledged(wclient, somchai):
    data = person_data(
        id_type="none", id_number="", first_name_th="สมชาย", last_name_th="ใจดี", birth_year="1967"
    )
    response = wclient.post(reverse("registry:person_create"), data)
    assert response.context["candidates"] == [somchai]
    assert 'name="acknowledge_duplicates"' in response.content.decode()
    assert Person.objects.count() == 1
    response = wclient.post(
        reverse("registry:person_create"), {**data, "acknowledge_duplicates": "on"}
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_registration_outside_scope_is_refused(wclient):
    response = wclient.post(reverse("registry:person_create"), person_data(subdistrict="100101"))
    assert response.status_code == 200
    assert response.context["form"].errors["subdistrict"]
    assert not Person.objects.filter(first_name_th="มาลี").exists()


def test_inline_validation_returns_the_field_errors(wclient):
    response = wclient.post(
        reverse("registry:person_validate"),
        person_data(birth_year="10"),  # two digits: 2510 or 2010? asked again
        headers={"HX-Request": "true", "HX-Trigger-Name": "birth_year"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "2510" in body and "2010" in body and "<html" not in body
    response = wclient.post(
        reverse("registry:person_validate"), person_data(), headers={"HX-Trigger-Name": "id_number"}
    )
    assert response.content.decode().strip() == ""


def test_edit_saves_changes(wclient, somchai):
    url = reverse("registry:person_edit", args=[somchai.pk])
    form = wclient.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(phone="0812345678", birth_year="1967")
    response = wclient.post(url, data)
    assert response.status_code == 302
    somchai.refresh_from_db()
    assert somchai.phone == "0812345678" and somchai.version == 2


def test_stale_edit_shows_the_message_and_keeps_the_input(wclient, worker, somchai):
    url = reverse("registry:person_edit", args=[somchai.pk])
    data = {k: v for k, v in wclient.get(url).context["form"].initial.items() if v is not None}
    services.update_person(
        actor=worker, person_id=somchai.pk, expected_version=1, changes={"phone": "020000000"}
    )
    data.update(phone="0899999999", birth_year="1967")
    response = wclient.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "มีผู้อื่นแก้ไข" in body
    assert "0899999999" in body
    somchai.refresh_from_db()
    assert somchai.phone == "020000000"


def test_create_household(wclient):
    response = wclient.post(
        reverse("registry:household_create"),
        {"subdistrict": "570101", "house_no": "5", "registration_no": "123"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["registration_no"]
    response = wclient.post(
        reverse("registry:household_create"), {"subdistrict": "570101", "house_no": "5"}
    )
    assert response.status_code == 302


def test_supervisor_merges_and_undoes(client, supervisor, somchai, make_person):
    dup = make_person("สมชาย", "ใจดี", id_type="none", birth_year=1967)
    client.force_login(supervisor)
    response = client.post(
        reverse("registry:person_merge", args=[somchai.pk]), {"duplicate": dup.pk, "reason": "same"}
    )
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.merged_into_id == somchai.pk
    body = client.get(reverse("registry:person", args=[somchai.pk])).content.decode()
    merge_id = somchai.merges_kept.get().pk
    assert reverse("registry:merge_undo", args=[merge_id]) in body
    client.post(reverse("registry:merge_undo", args=[merge_id]), {"reason": "not the same"})
    dup.refresh_from_db()
    assert dup.merged_into_id is None


def test_workers_cannot_merge(wclient, somchai, make_person):
    dup = make_person("สมชาย", "ใจดี", id_type="none", birth_year=1967)
    url = reverse("registry:person_merge", args=[somchai.pk])
    assert wclient.post(url, {"duplicate": dup.pk, "reason": "x"}).status_code == 404


def test_editing_a_household_saves_and_a_stale_edit_is_explained(wclient, home):
    url = reverse("registry:household_edit", args=[home.pk])
    page = wclient.get(url)
    assert page.status_code == 200 and 'name="version"' in page.content.decode()
    saved = wclient.post(url, {"house_no": "7/7", "village": "", "version": 1})
    assert saved.status_code == 302
    stale = wclient.post(url, {"house_no": "8/8", "village": "", "version": 1})
    assert stale.status_code == 200
    assert "มีผู้อื่นแก้ไขระเบียนนี้" in stale.content.decode()
    home.refresh_from_db()
    assert (home.house_no, home.version) == ("7/7", 2)


def test_past_member_now_outside_the_viewers_area_is_shown_without_a_name(
    make_user, wclient, home, somchai, make_household
):
    """The household keeps its history, but who the person is now belongs to their new area."""
    nation = make_user("centre_staff", level="nation", code="")
    bangkok_home = make_household(subdistrict=BANGKOK_SUB, actor=nation)
    somchai.memberships.update(start_date=timezone.localdate().replace(year=2020))
    services.add_member(
        actor=nation, household_id=bangkok_home.pk, person_id=somchai.pk, relationship="head"
    )
    body = wclient.get(reverse("registry:household", args=[home.pk])).content.decode()
    assert "สมชาย" not in body
    assert reverse("registry:person", args=[somchai.pk]) not in body
    assert "outside your area" in body or "นอกพื้นที่" in body
