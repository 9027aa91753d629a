"""The household's whole story page: staff of the area and the assigned volunteer read it;
anyone else gets 404; a sensitive case of a member stays behind the glass."""

import pytest
from django.urls import reverse

from onehome.access.models import AuditEvent, Role
from onehome.volunteers.tests.factories import make_volunteer
from onehome.volunteers.tests.story_data import build_story


@pytest.fixture
def story(worker, make_user, make_person, make_household):
    return build_story(
        worker=worker, make_user=make_user, make_person=make_person, make_household=make_household
    )


def _url(story):
    return reverse("volunteers:story_household", args=[story.household.pk])


def test_staff_read_the_whole_story(client, worker, story):
    client.force_login(worker)
    response = client.get(_url(story))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("มาลี", "ต้นกล้า", "บันทึกเยี่ยม 0", "บันทึกเยี่ยม 1", "มีรายได้พอเลี้ยงครอบครัว",
                 "ฝึกอาชีพทำขนม", "ย้ายหมู่บ้าน", story.plain_case.number):  # fmt: skip
        assert text in page, text
    assert 'id="record-book"' in page and "1/1" in page and "0/1" in page
    assert reverse("cases:case", args=[story.plain_case.pk]) in page


def test_the_page_shows_buddhist_era_years_in_thai(client, worker, story):
    client.force_login(worker)
    page = client.get(_url(story), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    year = story.visits[1].visited_on.year
    assert str(year + 543) in page


def test_a_sensitive_case_of_a_member_stays_behind_the_glass(client, worker, story):
    client.force_login(worker)
    page = client.get(_url(story)).content.decode()
    assert story.hidden_case.number not in page
    assert "เด็กถูกทำร้าย" not in page and story.hidden_case.title not in page
    assert 'id="behind-glass"' in page
    assert reverse("cases:case", args=[story.hidden_case.pk]) in page


def test_the_supervisor_of_the_owning_agency_sees_the_sensitive_case(client, story):
    client.force_login(story.boss)
    page = client.get(_url(story)).content.decode()
    assert story.hidden_case.number in page
    assert 'id="behind-glass"' not in page


def test_an_overdue_follow_up_is_marked(client, worker, story):
    client.force_login(worker)
    assert "overdue" in client.get(_url(story), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_assigned_volunteer_reads_it_without_case_files(client, story):
    client.force_login(story.volunteer.user)
    response = client.get(_url(story))
    assert response.status_code == 200
    page = response.content.decode()
    assert "มาลี" in page and "บันทึกเยี่ยม 1" in page
    assert story.plain_case.number not in page  # volunteers report; they do not read cases


def test_a_volunteer_gets_404_for_a_household_not_assigned_to_them(client, story):
    client.force_login(story.before.user)  # followed it before: the assignment ended
    assert client.get(_url(story)).status_code == 404


def test_outsiders_get_404(client, outsider, make_user, story):
    client.force_login(outsider)
    assert client.get(_url(story)).status_code == 404
    client.force_login(make_user(Role.ANALYST))  # no personal data, no volunteers' work
    assert client.get(_url(story)).status_code == 404
    client.force_login(make_user(Role.SOCIAL_WORKER))
    assert client.get(reverse("volunteers:story_household", args=[999_999])).status_code == 404


def test_another_volunteer_of_the_same_area_gets_404(client, worker, story):
    other = make_volunteer(worker)
    client.force_login(other.user)
    assert client.get(_url(story)).status_code == 404


def test_the_read_is_audited(client, worker, story):
    client.force_login(worker)
    client.get(_url(story))
    row = AuditEvent.objects.filter(actor_id=worker.pk, object_type="page").latest("id")
    assert story.household.pk in row.after["ids"]["registry.household"]
    assert story.plain_case.pk in row.after["ids"]["cases.case"]
    assert story.hidden_case.pk not in row.after["ids"]["cases.case"]
