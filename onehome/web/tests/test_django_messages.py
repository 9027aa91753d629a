"""Django's and DRF's own validation messages appear in the page's language: the ones their
Thai catalogues leave in English are listed in `web.django_messages` and translated in ours
(LOCALE_PATHS comes first)."""

import json

import pytest
from django import forms
from django.utils import translation

from onehome.conftest import WIANG
from onehome.registry.models import Household, Person
from onehome.web import django_messages


def test_every_listed_message_has_thai():
    plain = [*django_messages.DJANGO, *django_messages.AUTH, *django_messages.DRF]
    plural = [*django_messages.DJANGO_PLURAL, *django_messages.AUTH_PLURAL]
    with translation.override("en"):
        plural_english = [str(m) for m in plural]
    with translation.override("th"):
        assert [m for m in plain if translation.gettext(m) == m] == []
        assert [str(m) for m in plural if str(m) in plural_english] == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("th", "ต้องมีอย่างน้อย 6 ตัวอักษร (ตอนนี้มี 5 ตัว)"),
        ("en", "Ensure this value has at least 6 characters (it has 5)."),
    ],
)
def test_a_too_short_value_is_explained_in_the_pages_language(language, expected):
    class Code(forms.Form):
        code = forms.CharField(min_length=6)

    with translation.override(language):
        form = Code({"code": "เวียง"})
        assert not form.is_valid()
        assert form.errors["code"] == [expected]


def test_household_form_errors_are_thai(client, worker):
    client.force_login(worker)
    response = client.post(
        "/people/households/new/",
        {"subdistrict": WIANG, "house_no": "1" * 31, "registration_no": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "ต้องมีไม่เกิน 30 ตัวอักษร (ตอนนี้มี 31 ตัว)" in body
    assert "Ensure this value" not in body
    assert not Household.objects.exists()


def test_a_missing_required_field_is_thai(client, worker):
    client.force_login(worker)
    response = client.post(
        "/people/new/", {"id_type": "none", "first_name_th": "", "subdistrict": WIANG}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "กรุณาระบุช่องนี้" in body and "This field is required" not in body
    assert not Person.objects.exists()


def test_the_api_answers_drf_messages_in_thai(client, worker):
    client.force_login(worker)
    payload = {"id_type": "none", "first_name_th": {"not": "text"}, "subdistrict": WIANG}
    response = client.post(
        "/api/people/", json.dumps(payload), content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="th",
    )  # fmt: skip
    assert response.status_code == 400
    text = json.dumps(response.json(), ensure_ascii=False)
    assert "ไม่ใช่ข้อความที่ถูกต้อง" in text and "Not a valid string" not in text
    english = client.post(
        "/api/people/", json.dumps(payload), content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert "Not a valid string" in english.content.decode()
    assert not Person.objects.exists()
