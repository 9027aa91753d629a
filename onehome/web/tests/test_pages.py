"""Sign-in, home, directory, agreements and audit pages, in Thai and in English."""

import datetime as dt

import pytest
from django.urls import reverse

from onehome.orgs.models import Agreement, Organisation, OrgKind

pytestmark = pytest.mark.django_db


def test_pages_need_sign_in(client):
    for name in [
        "home",
        "registry:search",
        "registry:households",
        "orgs:directory",
        "access:audit",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_login_page_is_thai_by_default_and_signs_in(client, worker):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "เข้าสู่ระบบ" in response.content.decode()
    response = client.post(
        reverse("login"), {"username": worker.username, "password": "pw-for-tests-only"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_out_needs_post_and_ends_the_session(worker_client):
    response = worker_client.post(reverse("logout"))
    assert response.status_code == 302
    assert worker_client.get(reverse("home")).status_code == 302


def test_home_shows_role_area_and_counts(worker_client, somchai):
    response = worker_client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "เชียงราย" in body  # the area of the worker's scope
    assert "นักสังคมสงเคราะห์" in body  # the role, in Thai
    assert 'name="q"' in body  # the quick search
    counts = {row["key"]: row["count"] for row in response.context["counts"]}
    assert counts["all"] == "1" and counts["elderly"] == "0"


def test_home_suppresses_small_counts_for_aggregate_only_roles(client, analyst, somchai):
    client.force_login(analyst)
    response = client.get(reverse("home"))
    counts = {row["key"]: row["count"] for row in response.context["counts"]}
    assert counts["all"] == "<5"
    assert counts["child"] == "0"
    assert 'name="q"' not in response.content.decode()  # no person search for analysts


def test_english_switch_changes_labels(worker_client):
    response = worker_client.get(reverse("home"))
    assert "ค้นหาบุคคล" in response.content.decode()
    response = worker_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True
    )
    body = response.content.decode()
    assert "Search people" in body
    assert "ค้นหาบุคคล" not in body


@pytest.fixture
def directory_data():
    centre = Organisation.objects.create(
        code="C-570101", kind=OrgKind.ASSISTANCE_CENTRE, name_th="ศูนย์ช่วยเหลือสังคมตำบลเวียง",
        province_id="57", location_id="570101",
    )  # fmt: skip
    centre.serves.add("570101", "570102")
    partner = Organisation.objects.create(
        code="U-1", kind=OrgKind.UNIVERSITY, name_th="มหาวิทยาลัยแม่ฟ้าหลวง", province_id="57"
    )
    agreement = Agreement.objects.create(
        code="MOU-1", title="ความร่วมมือดูแลผู้สูงอายุ", signed_on=dt.date(2024, 3, 12),
        scope="ส่งต่อผู้สูงอายุ",
    )  # fmt: skip
    agreement.parties.add(centre, partner)
    return {"centre": centre, "partner": partner, "agreement": agreement}


def test_directory_filters_by_group_and_subdistrict(worker_client, directory_data):
    url = reverse("orgs:directory")
    body = worker_client.get(url, {"group": "centre", "province": "57"}).content.decode()
    assert "ศูนย์ช่วยเหลือสังคมตำบลเวียง" in body
    assert "มหาวิทยาลัยแม่ฟ้าหลวง" not in body
    assert "570102" in body  # served sub-districts are listed
    body = worker_client.get(url, {"group": "partner"}).content.decode()
    assert "มหาวิทยาลัยแม่ฟ้าหลวง" in body
    body = worker_client.get(url, {"subdistrict": "500101"}).content.decode()
    assert "ศูนย์ช่วยเหลือสังคมตำบลเวียง" not in body


def test_agreements_show_parties_and_buddhist_era_dates(worker_client, directory_data):
    body = worker_client.get(reverse("orgs:agreements")).content.decode()
    assert "ความร่วมมือดูแลผู้สูงอายุ" in body
    assert "มหาวิทยาลัยแม่ฟ้าหลวง" in body
    assert "12 มี.ค. 2567" in body


def test_audit_log_is_only_for_auditors(client, worker, auditor, somchai):
    client.force_login(worker)
    assert client.get(reverse("access:audit")).status_code == 404
    client.force_login(auditor)
    response = client.get(reverse("access:audit"), {"person_id": somchai.pk})
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 1
    response = client.get(reverse("access:audit"), {"actor": "nobody-of-that-name"})
    assert response.context["page"].paginator.count == 0


@pytest.mark.django_db
def test_pages_open_in_thai_even_when_the_browser_prefers_english(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200
    assert 'lang="th"' in page.content.decode()
