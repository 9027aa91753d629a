"""Search that forgives (issue 15 point 5): common Thai misspellings, romanised names,
the 8-digit ID prefix, what a result shows, and what an empty result says."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from faker import Faker
from stdnum.th import pin

from onehome.conftest import make_thai_id
from onehome.registry import matching, selectors, services
from onehome.registry.models import Person

pytestmark = pytest.mark.django_db


# --- The folded key: fast path against its readable specification ---------------------


def _spelling_variants(name: str) -> list[str]:
    """The name, and the name with each misspelling class applied where it can be."""
    swaps = [
        ("ฤ", "รึ"),
        ("ฤ", "ริ"),
        ("ศ", "ส"),
        ("ษ", "ส"),
        ("ณ", "น"),
        ("ั", "ะ"),
        ("่", ""),
        ("้", ""),
        ("์", ""),
        ("ี", "ิ"),
        ("ใ", "ไ"),
        ("ธ", "ท"),
        ("ภ", "พ"),
    ]
    out = [name]
    for typed, wrong in swaps:
        if typed in name:
            out.append(name.replace(typed, wrong, 1))
    return out


def _names() -> list[str]:
    fake = Faker("th_TH")
    Faker.seed(15)
    names = {fake.first_name() for _ in range(3000)} | {fake.last_name() for _ in range(3000)}
    names |= {"หฤทัย", "ฤดี", "พฤกษา", "กฤษณา", "ศรีสุข", "ณัฐพล", "ฤๅษี", "ใจดี", "  สม  ชาย "}
    names |= {"".join(p) for p in itertools.product("ฤรศษสณน", "ิีึืั่้์ะ", "กท")}
    return sorted(names)


def test_the_fast_fold_agrees_with_its_specification():
    names = [v for name in _names() for v in _spelling_variants(name)]
    assert len(names) > 1000
    disagree = [n for n in names if matching.fold(n) != matching.fold_spec(n)]
    assert disagree == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("หรึทัย", "หฤทัย"),  # ฤ typed as รึ
        ("หริทัย", "หฤทัย"),  # ฤ typed as ริ
        ("หรือทัย", None),  # not a misspelling of it: folds apart
        ("สรีสุข", "ศรีสุข"),  # ศ/ส
        ("ประเสฐ", "ประเษฐ"),  # ษ/ส
        ("นัฐพล", "ณัฐพล"),  # ณ/น
        ("สมชาย", "ส้มชาย"),  # tone marks
        ("กะนกพร", "กันกพร"),  # ะ/ั
        ("ไจดี", "ใจดี"),  # ใ/ไ
    ],
)
def test_each_misspelling_class_folds_to_the_stored_spelling(typed, stored):
    if stored is None:
        assert matching.fold(typed) != matching.fold("หฤทัย")
    else:
        assert matching.fold(typed) == matching.fold(stored)


def test_romanised_keys_follow_the_royal_transliteration_with_variants_folded():
    assert matching.romanised("หฤทัย") == matching.fold_latin("Ruethai")
    assert matching.fold_latin("Reuthai") == matching.fold_latin("Ruethai")
    assert matching.fold_latin("Somporn") == matching.romanised("สมพร")
    assert matching.fold_latin("Jira") == matching.fold_latin("Chira")


# --- Search --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored_first", "stored_last", "typed"),
    [
        ("หฤทัย", "ธนัชพิมพ์กานต์", "หรึทัย"),
        ("หฤทัย", "ธนัชพิมพ์กานต์", "หริทัย ธนัชพิมพ์กานต์"),
        ("ศศิธร", "ศรีสุข", "สสิธร สรีสุข"),
        ("ประเสริฐ", "เกษมสุข", "ประเสริฐ เกสมสุข"),
        ("ณัฐพล", "ใจดี", "นัฐพล ใจดี"),
        ("สมศักดิ์", "แก้วมณี", "สมศักดิ แกวมณี"),
        ("กัญญา", "รักษ์ไทย", "กะญญา รักษ์ไทย"),
    ],
)
def test_each_misspelling_class_finds_the_person(
    worker, make_person, stored_first, stored_last, typed
):
    target = make_person(stored_first, stored_last)
    make_person("มานี", "มีนา")
    found = selectors.search_people(worker, typed)
    assert found and found[0] == target


def test_the_exact_spelling_comes_before_a_folded_one(worker, make_person):
    folded = make_person("สมชาย", "ไจดี")
    exact = make_person("สมชาย", "ใจดี")
    assert selectors.search_people(worker, "สมชาย ใจดี")[:2] == [exact, folded]


def test_a_romanised_name_finds_the_thai_named_person(worker, outsider, make_person):
    target = make_person("หฤทัย", "ธนัชพิมพ์กานต์")
    make_person("มานี", "มีนา")
    assert selectors.search_people(worker, "Ruethai Thanatphimpkan")[0] == target
    assert selectors.search_people(worker, "ruethai")[0] == target
    assert selectors.search_people(worker, "Reuthai")[0] == target
    assert selectors.search_people(outsider, "Ruethai Thanatphimpkan") == []


def test_an_english_name_as_registered_is_found(worker, make_person):
    target = make_person("สมชาย", "ใจดี", first_name_en="Somchai", last_name_en="Jaidee")
    assert selectors.search_people(worker, "Somchai Jaidee")[0] == target


def test_a_typed_id_prefix_finds_the_people_whose_id_starts_with_it(worker, outsider, make_person):
    number = _thai_id("123456780001")
    target = make_person("มานี", "มีนา", id_number=number)
    make_person("ปิติ", "ชูใจ", id_number=_thai_id("123456790001"))
    make_person("ชูใจ", "ใจดี", id_number=_thai_id("123456770001"))
    assert selectors.search_people(worker, number[:8]) == [target]
    assert selectors.search_people(worker, f"{number[:1]}-{number[1:5]}-{number[5:8]}") == [target]
    assert selectors.search_people(outsider, number[:8]) == []


def _thai_id(body: str) -> str:
    return body + pin.calc_check_digit(body)


def test_the_id_prefix_bounds_are_exact():
    assert selectors._prefix_bounds("12345678") == ("12345678", "12345679")
    assert selectors._prefix_bounds("1234567899") == ("1234567899", "1234567900")
    assert selectors._prefix_bounds("99999999") == ("99999999", "")


def test_a_search_that_finds_nothing_finds_nothing(worker, make_person):
    make_person("มานี", "มีนา")
    assert selectors.search_people(worker, "ซุปเปอร์แมน") == []
    assert Person.objects.count() == 1


# --- The search page ------------------------------------------------------------------


@pytest.fixture
def wclient(client, worker):
    client.force_login(worker)
    client.cookies["django_language"] = "en"
    return client


def test_a_result_shows_age_masked_id_village_and_household(
    wclient, worker, make_person, make_household
):
    number = make_thai_id()
    person = make_person("หฤทัย", "ธนัชพิมพ์กานต์", id_number=number, birth_year=1990)
    # บ้านทดสอบ, loaded with the geography of the tests; members live in its village
    home = make_household(house_no="12/3", village="57010101")
    services.add_member(
        actor=worker, household_id=home.pk, person_id=person.pk, relationship="head"
    )
    response = wclient.get(reverse("registry:search"), {"q": "หรึทัย"})
    body = response.content.decode()
    assert response.context["people"] == [person]
    assert number not in body and "•••••••••" + number[-4:] in body
    age = timezone.localdate().year - 1990
    assert f"{age} years" in body or f"{age - 1} years" in body
    facts = body[body.find("person-facts") :]
    assert "บ้านทดสอบ" in facts, facts[:900]
    assert reverse("registry:household", args=[home.pk]) in body and "House no. 12/3" in body


def test_an_empty_result_says_so_with_a_hint(wclient, make_person):
    make_person("มานี", "มีนา")
    response = wclient.get(reverse("registry:search"), {"q": "ซุปเปอร์แมน"})
    body = response.content.decode()
    assert response.context["people"] == []
    assert "No one found for “ซุปเปอร์แมน” in your area." in body
    assert "Latin letters" in body


def test_twenty_people_are_shown_and_more_on_request(wclient, make_person):
    for _ in range(23):
        make_person("สมชาย", "ใจดี")
    response = wclient.get(reverse("registry:search"), {"q": "สมชาย ใจดี"})
    assert len(response.context["people"]) == 20
    assert response.context["more"] is True
    assert "shown=40" in response.content.decode()
    response = wclient.get(reverse("registry:search"), {"q": "สมชาย ใจดี", "shown": "40"})
    assert len(response.context["people"]) == 23
    assert response.context["more"] is False
    assert "Show more results" not in response.content.decode()


def test_the_api_search_answers_village_household_and_masked_id(
    client, worker, make_person, make_household
):
    client.force_login(worker)
    number = make_thai_id()
    person = make_person("หฤทัย", "ธนัชพิมพ์กานต์", id_number=number)
    home = make_household(house_no="7", village="57010101")
    services.add_member(
        actor=worker, household_id=home.pk, person_id=person.pk, relationship="head"
    )
    found = client.get("/api/people/", {"q": "Ruethai"}).json()["results"]
    assert [p["id"] for p in found] == [person.pk]
    assert found[0]["household"] == home.pk
    assert "บ้านทดสอบ" in found[0]["village_name"]
    assert found[0]["id_number"] == "•" * 9 + number[-4:]
