"""The visit pages: the form records a visit (and a help request), the record book shows
each dimension over time, and everyone outside the household's circle gets 404."""

import uuid

import pytest
from django.urls import reverse

from onehome.cases.models import Channel
from onehome.core import thai_dates
from onehome.volunteers.models import HelpRequest, Visit
from onehome.volunteers.tests import visits_support
from onehome.volunteers.tests.development_helpers import today

PNG = visits_support.PNG
home = visits_support.home
visit = visits_support.visit


def _post(home, **extra):
    return {
        "client_id": str(uuid.uuid4()),
        "visited_on": thai_dates.format_input(today(), thai=True),
        "present": [str(home.head.pk)],
        "needs": ["food"],
        "notes": "",
        "q_safe_food": "no",
        "q_income_per_person": "20,000",
        "help_urgency": "normal",
        **extra,
    }


def test_the_form_shows_the_questions_by_dimension_in_thai(client, home):
    client.force_login(home.volunteer.user)
    page = client.get(reverse("volunteers:visit_new", args=[home.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "ครัวเรือนกินอาหารถูกสุขลักษณะ" in text and home.head.first_name_th in text


def test_a_volunteer_records_a_visit_with_a_help_request(client, home):
    client.force_login(home.volunteer.user)
    data = _post(home, help_kind="help", help_summary="ไม่มีอาหาร")
    page = client.post(reverse("volunteers:visit_new", args=[home.pk]), data, follow=True)
    v = Visit.objects.get()
    assert page.redirect_chain[-1][0] == reverse("volunteers:visit_detail", args=[v.pk])
    assert v.answers == {"safe_food": False, "income_per_person": 20000}
    request = HelpRequest.objects.get()
    assert request.visit == v and request.report.channel == Channel.VOLUNTEER
    text = page.content.decode()
    assert request.report.reference in text  # the message names the report
    # The same form sent again records nothing new.
    client.post(reverse("volunteers:visit_new", args=[home.pk]), data)
    assert Visit.objects.count() == 1 and HelpRequest.objects.count() == 1


def test_a_refused_visit_shows_why_and_writes_nothing(client, home):
    client.force_login(home.volunteer.user)
    page = client.post(
        reverse("volunteers:visit_new", args=[home.pk]),
        _post(home, q_income_per_person="-3", help_kind="cash_aid", help_summary="x"),
    )
    assert page.status_code == 200 and not Visit.objects.exists()
    assert not HelpRequest.objects.exists()
    assert "0" in page.content.decode()


def test_the_record_book_shows_the_dimensions_over_time(client, home):
    visit(home)
    client.force_login(home.volunteer.user)
    page = client.get(reverse("volunteers:visit_record_book", args=[home.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "bar-chart" in text
    assert str(today().year + 543) in text  # Buddhist-era dates


def test_staff_ask_for_help_on_its_own_page(client, home, worker):
    client.force_login(worker)
    page = client.post(
        reverse("volunteers:visit_help_new", args=[home.pk]),
        {
            "client_id": str(uuid.uuid4()),
            "help_kind": "relief_items",
            "help_summary": "น้ำท่วม",
            "help_items": "ถุงยังชีพ",
            "help_urgency": "urgent",
        },
        follow=True,
    )
    assert page.status_code == 200 and HelpRequest.objects.get().items == "ถุงยังชีพ"
    assert client.get(reverse("volunteers:visit_help_list")).status_code == 200


def test_everyone_outside_gets_404_on_every_page(client, home, outsider, make_household, worker):
    from onehome.volunteers.tests.factories import assign, make_volunteer

    v = visit(home)
    other_volunteer = make_volunteer(worker)
    assign(other_volunteer, make_household(), by=worker)
    urls = [
        reverse("volunteers:visit_new", args=[home.pk]),
        reverse("volunteers:visit_record_book", args=[home.pk]),
        reverse("volunteers:visit_help_new", args=[home.pk]),
        reverse("volunteers:visit_detail", args=[v.pk]),
        reverse("volunteers:visit_photo", args=[v.pk]),
    ]
    for who in (outsider, other_volunteer.user):
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
            assert client.post(url, {}).status_code in (404, 405), (who, url)
    assert Visit.objects.count() == 1


@pytest.mark.parametrize("size_ok", [True, False])
def test_the_photo_is_checked_on_the_page(client, home, settings, tmp_path, size_ok):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(home.volunteer.user)
    content = PNG if size_ok else PNG + b"\0" * (2 * 1024 * 1024)
    client.post(
        reverse("volunteers:visit_new", args=[home.pk]),
        {**_post(home), "photo": SimpleUploadedFile("นาง สมศรี.png", content, "image/png")},
    )
    assert Visit.objects.filter(photo__endswith=".png").exists() is size_ok
    if size_ok:
        v = Visit.objects.get()
        assert client.get(reverse("volunteers:visit_photo", args=[v.pk])).status_code == 200
