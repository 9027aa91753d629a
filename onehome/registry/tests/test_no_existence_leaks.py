"""No existence leaks (issue 14, point 6): a document number held by a record outside the
user's area is refused like any refused number, with no id, link or hint of where; inside
the area the answer still names the record, so the clerk opens it instead.

From the outside, as a Chiang Rai worker would meet it on the page and through the API,
with the number registered in Bangkok (and, to show nothing of the record leaks into the
answer, another in Phuket).
"""

import json
import re

import pytest
from django.urls import reverse

from onehome.conftest import BANGKOK_SUB, WIANG, make_thai_id
from onehome.registry.models import Person

pytestmark = pytest.mark.django_db

PHUKET_SUB = "830101"
BAD_CHECK_DIGIT = "1101700230705"


@pytest.fixture
def bangkok_worker(make_user):
    return make_user("social_worker", "centre_staff", code="10")


@pytest.fixture
def elsewhere(make_person, bangkok_worker, make_user):
    """Two people registered outside Chiang Rai: in Bangkok and in Phuket."""
    phuket_worker = make_user("social_worker", code="83")
    return [
        make_person("ก้อย", "กรุงเทพ", subdistrict=BANGKOK_SUB, actor=bangkok_worker),
        make_person("แก้ว", "ภูเก็ต", subdistrict=PHUKET_SUB, actor=phuket_worker),
    ]


def api_register(client, number: str, subdistrict: str = WIANG):
    body = {
        "id_type": "thai_id",
        "id_number": number,
        "first_name_th": "มาลี",
        "subdistrict": subdistrict,
        "acknowledge_duplicates": True,
    }
    return client.post(
        "/api/people/", json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def page_register(client, number: str, subdistrict: str = WIANG):
    data = {
        "id_type": "thai_id",
        "id_number": number,
        "first_name_th": "มาลี",
        "last_name_th": "สุขสันต์",
        "sex": "female",
        "birth_year": "1980",
        "subdistrict": subdistrict,
        "acknowledge_duplicates": "on",
    }
    return client.post(reverse("registry:person_create"), data)


def test_the_api_refuses_an_id_registered_elsewhere_like_any_refused_id(client, worker, elsewhere):
    client.force_login(worker)
    answers = [api_register(client, p.id_number) for p in elsewhere]
    bad_digit = api_register(client, BAD_CHECK_DIGIT)
    for answer in answers:
        assert answer.status_code == bad_digit.status_code == 400
        assert answer.json().keys() == bad_digit.json().keys() == {"detail", "code"}
        assert "registry officer" in answer.json()["detail"]
    # The same bytes whichever record holds the number: nothing of it is in the answer.
    assert answers[0].content == answers[1].content
    for person, answer in zip(elsewhere, answers, strict=True):
        text = answer.content.decode()
        assert f"/people/{person.pk}/" not in text and str(person.pk) not in text
        assert person.subdistrict_id not in text and person.first_name_th not in text
    assert Person.objects.count() == 2


def test_the_api_still_answers_409_with_the_link_inside_the_area(client, bangkok_worker, elsewhere):
    client.force_login(bangkok_worker)
    answer = api_register(client, elsewhere[0].id_number, subdistrict=BANGKOK_SUB)
    assert answer.status_code == 409
    assert answer.json()["existing_id"] == elsewhere[0].pk
    assert answer.json()["existing"].endswith(f"/api/people/{elsewhere[0].pk}/")


def _shape(html: str, *numbers: str) -> str:
    """The page without what differs by request: the CSRF token, the number typed and the
    words of the field's error."""
    html = re.sub(r"\b[A-Za-z0-9]{64}\b", "CSRF", html)  # the form's and htmx's token
    for number in numbers:
        html = html.replace(number, "N")
    return re.sub(r'(<div id="err-id_number"[^>]*>).*?(</div>)', r"\1MSG\2", html, flags=re.DOTALL)


def test_the_page_refuses_an_id_registered_elsewhere_like_any_refused_id(client, worker, elsewhere):
    client.force_login(worker)
    bangkok, phuket = (page_register(client, p.id_number) for p in elsewhere)
    bad_digit = page_register(client, BAD_CHECK_DIGIT)
    assert bangkok.status_code == phuket.status_code == bad_digit.status_code == 200
    assert "existing" not in bangkok.context
    [message] = bangkok.context["form"].errors["id_number"]
    assert "เจ้าหน้าที่ทะเบียน" in message  # the advice, in Thai (the pages' default)
    html = bangkok.content.decode()
    assert f"/people/{elsewhere[0].pk}/" not in html and f"#{elsewhere[0].pk}" not in html
    assert _shape(html, elsewhere[0].id_number) == _shape(
        phuket.content.decode(), elsewhere[1].id_number
    )
    assert _shape(html, elsewhere[0].id_number) == _shape(
        bad_digit.content.decode(), BAD_CHECK_DIGIT
    )
    assert Person.objects.count() == 2


def test_the_page_still_links_the_registered_person_inside_the_area(
    client, bangkok_worker, elsewhere
):
    client.force_login(bangkok_worker)
    answer = page_register(client, elsewhere[0].id_number, subdistrict=BANGKOK_SUB)
    assert answer.context["existing"] == elsewhere[0]
    assert reverse("registry:person", args=[elsewhere[0].pk]) in answer.content.decode()


def test_changing_a_persons_id_to_one_held_elsewhere_is_refused_the_same_way(
    client, worker, make_person, elsewhere
):
    mine = make_person(id_number=make_thai_id())
    client.force_login(worker)
    answer = client.patch(
        f"/api/people/{mine.pk}/",
        json.dumps({"id_number": elsewhere[0].id_number}),
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400 and answer.json().keys() == {"detail", "code"}
    assert str(elsewhere[0].pk) not in answer.content.decode()
    mine.refresh_from_db()
    assert mine.version == 1
