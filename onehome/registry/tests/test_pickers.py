"""Areas and people picked by name on the registry pages: the area form takes codes (what
the picker submits) and refuses typed names with a message; the person picker shows what
tells people apart, only in the user's area, audited; moving someone from another
household asks for confirmation; a household's area fills its new member's."""

import re

import pytest
from django.urls import reverse

from onehome.access.models import AuditEvent
from onehome.conftest import WIANG
from onehome.registry import services
from onehome.registry.forms import (
    HouseholdCreateForm,
    HouseholdEditForm,
    MemberForm,
    PersonCreateForm,
)
from onehome.registry.models import Household, Person

pytestmark = pytest.mark.django_db

PICK = "/people/pick/"


@pytest.fixture
def wclient(client, worker):
    client.force_login(worker)
    return client


@pytest.fixture
def somchai(make_person):
    return make_person("สมชาย", "ใจดี", id_number="1101700203450", birth_year=1967)


@pytest.fixture
def home(worker, make_household, somchai):
    h = make_household(house_no="12/3", village="57010101")
    services.add_member(actor=worker, household_id=h.pk, person_id=somchai.pk, relationship="head")
    return h


# --- the area form -------------------------------------------------------------------


def test_area_codes_from_the_picker_are_accepted():
    form = HouseholdCreateForm({"subdistrict": WIANG, "village": "57010101", "house_no": "1"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["subdistrict"] == WIANG
    assert form.cleaned_data["village"] == "57010101"


def test_a_typed_name_is_refused_with_a_message_that_says_how_to_choose(english):
    form = HouseholdCreateForm({"subdistrict": "เวียง", "village": "บ้านทดสอบ"})
    assert not form.is_valid()
    assert form.errors["subdistrict"] == [
        "Type the sub-district's name and choose it from the list."
    ]
    assert "choose it from the list" in form.errors["village"][0]
    assert "at least" not in str(form.errors)  # not Django's "Ensure this value has…"
    form = HouseholdCreateForm({"subdistrict": ""})
    assert form.errors["subdistrict"] == [
        "Type the sub-district's name and choose it from the list."
    ]


# --- without JavaScript: the text typed in the box (<name>_text) ----------------------


def test_a_typed_code_or_unique_name_is_accepted_without_javascript():
    form = HouseholdCreateForm({"subdistrict_text": WIANG, "village_text": "หมู่ 1"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["subdistrict"] == WIANG
    assert form.cleaned_data["village"] == "57010101"  # looked for in the typed sub-district
    data = {"subdistrict_text": "ตำบลเวียง อำเภอเมืองเชียงราย", "village_text": "บ้านทดสอบ"}
    form = HouseholdCreateForm(data)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["subdistrict"], form.cleaned_data["village"]) == (WIANG, "57010101")
    form = HouseholdCreateForm({"subdistrict": WIANG, "village_text": "บ้านทดสอบ"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["village"] == "57010101"


def test_a_typed_name_of_several_or_no_areas_asks_to_choose(english):
    form = HouseholdCreateForm({"subdistrict_text": "เวียง"})  # in several provinces
    assert not form.is_valid()
    message = form.errors["subdistrict"][0]
    assert re.match(r"\d+ areas are called “เวียง” \(Wiang › ", message), message
    assert message.endswith("). Choose one from the list.")
    assert "Wiang › Mueang Chiang Rai › Chiang Rai" in message
    form = HouseholdCreateForm({"subdistrict_text": "ไม่มีตำบลนี้"})
    assert not form.is_valid()
    assert "choose it from the list" in form.errors["subdistrict"][0]
    form = HouseholdCreateForm({"subdistrict": WIANG, "village_text": "บ้านไม่มี"})
    assert not form.is_valid()
    assert "choose it from the list" in form.errors["village"][0]
    # The village is only looked for in the chosen sub-district.
    form = HouseholdCreateForm({"subdistrict": "570102", "village_text": "บ้านทดสอบ"})
    assert not form.is_valid() and "village" in form.errors


def test_household_edit_finds_a_typed_village_in_its_own_sub_district():
    data = {"version": 1, "village_text": "บ้านทดสอบ"}
    form = HouseholdEditForm(data, subdistrict=WIANG)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["village"] == "57010101"
    assert not HouseholdEditForm(data, subdistrict="570102").is_valid()


def test_registering_without_javascript_saves_the_typed_sub_district(wclient):
    data = {"id_type": "none", "first_name_th": "มาลี", "sex": "female", "birth_year": "1980",
            "subdistrict": "", "subdistrict_text": "เวียง เมืองเชียงราย", "village": ""}  # fmt: skip
    response = wclient.post(reverse("registry:person_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.get(first_name_th="มาลี").subdistrict_id == WIANG


def test_area_fields_render_as_pickers_with_the_chosen_label():
    html = str(HouseholdCreateForm(initial={"subdistrict": WIANG, "village": "57010101"}))
    assert 'role="combobox"' in html and "<select" not in html
    assert 'type="hidden" name="subdistrict" id="id_subdistrict_value" value="570101"' in html
    assert "ตำบลเวียง › อำเภอเมืองเชียงราย › จังหวัดเชียงราย" in html
    assert "หมู่ 1 บ้านทดสอบ › ตำบลเวียง" in html or "Moo 1 บ้านทดสอบ › ตำบลเวียง" in html
    assert 'data-picker-within="id_subdistrict_value"' in html  # villages of the sub-district


def test_household_edit_looks_for_villages_in_its_sub_district():
    html = str(HouseholdEditForm(initial={"version": 1}, subdistrict=WIANG)["village"])
    assert "within=570101" in html


def test_registering_with_a_typed_name_saves_nothing(wclient):
    data = {"id_type": "none", "first_name_th": "มาลี", "sex": "female", "birth_year": "1980",
            "subdistrict": "เวียง", "village": ""}  # fmt: skip
    response = wclient.post(reverse("registry:person_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["subdistrict"]
    assert not Person.objects.filter(first_name_th="มาลี").exists()


def test_person_create_form_still_takes_codes():
    data = {"id_type": "none", "first_name_th": "มาลี", "sex": "female", "birth_year": "1980",
            "subdistrict": WIANG, "village": ""}  # fmt: skip
    form = PersonCreateForm(data)
    assert form.is_valid(), form.errors


# --- the person picker ---------------------------------------------------------------


def test_person_picker_shows_name_age_masked_id_and_household(wclient, home, somchai):
    wclient.cookies["django_language"] = "en"
    response = wclient.get(PICK, {"q": "สมชาย"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-value="{somchai.pk}"' in body
    assert "สมชาย ใจดี" in body
    assert "1101700203450" not in body and "•3450" in body  # masked
    assert re.search(r"\d+ years", body)
    assert f"Household #{home.pk}" in body
    assert "บ้านทดสอบ" in body  # the village


def test_person_picker_is_audited_as_a_search(wclient, worker, somchai):
    before = AuditEvent.objects.filter(actor_id=worker.pk, action="search").count()
    wclient.get(PICK, {"q": "สมชาย"})
    event = AuditEvent.objects.filter(actor_id=worker.pk, action="search").latest("pk")
    assert AuditEvent.objects.filter(actor_id=worker.pk, action="search").count() == before + 1
    assert somchai.pk in event.after["ids"]


def test_person_picker_gives_an_out_of_scope_user_nothing(client, outsider, somchai):
    client.force_login(outsider)
    body = client.get(PICK, {"q": "สมชาย"}).content.decode()
    assert "data-value" not in body and "สมชาย" not in body


def test_person_picker_needs_two_characters_and_a_sign_in(wclient, client, somchai):
    assert "data-value" not in wclient.get(PICK, {"q": "ส"}).content.decode()
    client.logout()
    assert client.get(PICK, {"q": "สมชาย"}).status_code == 302


# --- adding a member -----------------------------------------------------------------


def test_moving_someone_from_another_household_asks_first(
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
    response = wclient.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["confirm"]["from_household"] == other.pk
    assert 'name="confirm" value="1"' in body and "สมหญิง รักดี" in body
    assert newcomer.memberships.get(end_date__isnull=True).household_id == other.pk  # unmoved
    response = wclient.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert newcomer.memberships.get(end_date__isnull=True).household_id == home.pk


def test_someone_without_a_household_is_added_at_once(wclient, home, make_person):
    loner = make_person("สมปอง", "ไร้บ้าน")
    url = reverse("registry:household_add_member", args=[home.pk])
    response = wclient.post(url, {"person": loner.pk, "relationship": "child", "since": ""})
    assert response.status_code == 302
    assert loner.memberships.get().household_id == home.pk


def test_a_person_out_of_scope_cannot_be_added(wclient, home, make_person, make_user):
    from onehome.access.models import Role
    from onehome.conftest import BANGKOK_SUB

    bangkok_worker = make_user(Role.SOCIAL_WORKER, code="10")
    stranger = make_person("ต่างถิ่น", "ไกลบ้าน", subdistrict=BANGKOK_SUB, actor=bangkok_worker)
    url = reverse("registry:household_add_member", args=[home.pk])
    response = wclient.post(url, {"person": stranger.pk, "relationship": "child", "confirm": "1"})
    assert response.status_code == 200
    assert response.context["member_form"].errors["person"]
    assert not stranger.memberships.exists()
    assert "ต่างถิ่น" not in response.content.decode()


def test_a_typed_name_instead_of_a_choice_is_refused(wclient, home, english):
    wclient.cookies["django_language"] = "en"  # the view answers in the request's language
    url = reverse("registry:household_add_member", args=[home.pk])
    response = wclient.post(url, {"person": "สมชาย", "relationship": "child"})
    assert response.status_code == 200
    assert "choose them from the list" in response.context["member_form"].errors["person"][0]


def test_a_typed_id_or_unique_name_adds_the_person_without_javascript(
    worker, outsider, home, make_person
):
    loner = make_person("มาลี", "สุขใจ", id_number="3570100012345")
    form = MemberForm({"person_text": "3-5701-00012-34-5", "relationship": "child"})
    form.fields["person"].user = worker
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == loner.pk
    form = MemberForm({"person_text": "มาลี สุขใจ", "relationship": "child"})
    form.fields["person"].user = worker
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == loner.pk
    # Out of the user's scope (or with no user) nothing typed is found.
    for user in (outsider, None):
        form = MemberForm({"person_text": "3570100012345", "relationship": "child"})
        form.fields["person"].user = user
        assert not form.is_valid() and "person" in form.errors


def test_a_typed_name_of_several_people_asks_for_the_id(worker, make_person, english):
    make_person("มาลี", "สุขใจ", id_number="3570100012345")
    make_person("มาลี", "สุขใจ", id_number="1101700203468")
    form = MemberForm({"person_text": "มาลี สุขใจ", "relationship": "child"})
    form.fields["person"].user = worker
    assert not form.is_valid()
    assert form.errors["person"] == ["2 people are called “มาลี สุขใจ”. Type the national ID."]
    form = MemberForm({"person_text": "มา", "relationship": "child"})  # a part is not a name
    form.fields["person"].user = worker
    assert not form.is_valid()
    assert "choose them from the list" in form.errors["person"][0]


def test_the_household_page_adds_a_typed_person_without_javascript(wclient, home, make_person):
    loner = make_person("มาลี", "สุขใจ", id_number="3570100012345")
    url = reverse("registry:household_add_member", args=[home.pk])
    response = wclient.post(url, {"person": "", "person_text": "มาลี สุขใจ", "relationship": "child"})
    assert response.status_code == 302
    assert loner.memberships.get().household_id == home.pk


def test_the_household_page_offers_the_picker(wclient, home):
    body = wclient.get(reverse("registry:household", args=[home.pk])).content.decode()
    assert 'data-picker-url="/people/pick/"' in body
    assert f"/people/new/?household={home.pk}" in body


def test_registering_from_the_household_page_fills_its_area_and_comes_back(wclient, home):
    url = reverse("registry:person_create") + f"?household={home.pk}"
    form = wclient.get(url).context["form"]
    assert form["subdistrict"].value() == WIANG and form["village"].value() == "57010101"
    data = {"id_type": "none", "first_name_th": "มาลี", "sex": "female", "birth_year": "1980",
            "subdistrict": WIANG, "village": "57010101"}  # fmt: skip
    response = wclient.post(url, data)
    person = Person.objects.get(first_name_th="มาลี")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("registry:household", args=[home.pk]) + f"?add={person.pk}#add-member"
    )
    page = wclient.get(response["Location"]).content.decode()
    assert f'name="person" id="id_person_value" value="{person.pk}"' in page
    assert "มาลี" in page


def test_another_area_s_household_fills_nothing(client, outsider, home):
    client.force_login(outsider)
    response = client.get(reverse("registry:person_create") + f"?household={home.pk}")
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert response.context["form"]["subdistrict"].value() in (None, "")
    assert Household.objects.filter(pk=home.pk).exists()
