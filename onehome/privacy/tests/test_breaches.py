"""The breach register (PDPA s.37(4)): the PDPC is notified within 72 hours of discovery
unless the breach poses no risk; a late notice needs its reason; the DPO sees what is late."""

import datetime as dt

from django.utils import timezone

from onehome.access.models import AuditEvent
from onehome.privacy.models import Breach

from .conftest import page_client


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def record(client, *, discovered: dt.datetime, risk="risk", subdistrict="570101"):
    return client.post(
        "/privacy/breaches/",
        {
            "discovered_at": local(discovered),
            "subdistrict": subdistrict,
            "description": "แฟ้มผู้รับบริการ 40 แฟ้มหายจากรถ",
            "records_affected": "40",
            "people_affected": "38",
            "risk": risk,
        },
        follow=True,
    )


def test_a_breach_past_72_hours_without_notice_is_shown_late_and_needs_a_reason(dpo):
    client = page_client(dpo)
    discovered = timezone.now() - dt.timedelta(days=4)
    record(client, discovered=discovered)
    breach = Breach.objects.get()
    assert breach.notice_due_at == breach.discovered_at + dt.timedelta(hours=72)
    assert AuditEvent.objects.filter(object_type="privacy.breach", action="create").exists()
    assert "Past 72 hours" in client.get("/privacy/breaches/").content.decode()
    assert "past 72 hours without notice" in client.get("/privacy/").content.decode()

    # Closing before the PDPC is told: refused.
    closed = client.post(
        f"/privacy/breaches/{breach.pk}/close/", {"version": 1, "text": "แก้ไขแล้ว"}, follow=True
    )
    assert "Notify the PDPC before closing" in closed.content.decode()
    # A late notice without its reason: refused, nothing changes.
    late = client.post(
        f"/privacy/breaches/{breach.pk}/pdpc/",
        {"version": 1, "at": local(timezone.now() - dt.timedelta(hours=1))},
        follow=True,
    )
    assert "later than 72 hours" in late.content.decode()
    breach.refresh_from_db()
    assert breach.status == "open" and breach.notified_pdpc_at is None

    client.post(
        f"/privacy/breaches/{breach.pk}/pdpc/",
        {
            "version": 1,
            "at": local(timezone.now() - dt.timedelta(hours=1)),
            "late_reason": "รอผลตรวจสอบจำนวนแฟ้ม",
        },
    )
    breach.refresh_from_db()
    assert breach.status == "notified" and breach.late_reason
    assert breach.notice_overdue  # it stays on record as late
    client.post(
        f"/privacy/breaches/{breach.pk}/subjects/", {"version": 2, "at": local(timezone.now())}
    )
    client.post(f"/privacy/breaches/{breach.pk}/close/", {"version": 3, "text": "แจ้งครบแล้ว"})
    breach.refresh_from_db()
    assert (breach.status, breach.version) == ("closed", 4) and breach.notified_subjects_at


def test_a_notice_within_72_hours_is_on_time(dpo):
    client = page_client(dpo)
    record(client, discovered=timezone.now() - dt.timedelta(hours=10))
    breach = Breach.objects.get()
    page = client.get(f"/privacy/breaches/{breach.pk}/").content.decode()
    assert "Past 72 hours" not in page
    client.post(f"/privacy/breaches/{breach.pk}/pdpc/", {"version": 1, "at": local(timezone.now())})
    breach.refresh_from_db()
    assert breach.status == "notified" and not breach.notice_overdue


def test_a_breach_with_no_risk_needs_no_notice(dpo):
    client = page_client(dpo)
    record(client, discovered=timezone.now() - dt.timedelta(days=5), risk="none")
    breach = Breach.objects.get()
    assert not breach.notice_overdue
    client.post(f"/privacy/breaches/{breach.pk}/close/", {"version": 1, "text": "เข้ารหัสไว้แล้ว"})
    breach.refresh_from_db()
    assert breach.status == "closed"


def test_out_of_area_breaches_answer_404_and_cannot_be_recorded(dpo, bangkok_dpo, social_worker):
    record(page_client(dpo), discovered=timezone.now())
    breach = Breach.objects.get()
    client = page_client(bangkok_dpo)
    assert client.get(f"/privacy/breaches/{breach.pk}/").status_code == 404
    assert (
        client.post(
            f"/privacy/breaches/{breach.pk}/pdpc/", {"version": 1, "at": local(timezone.now())}
        ).status_code
        == 404
    )
    assert "แฟ้มผู้รับบริการ" not in client.get("/privacy/breaches/").content.decode()
    page = record(client, discovered=timezone.now())  # a Chiang Rai sub-district
    assert "Choose a sub-district of your area" in page.content.decode()
    assert Breach.objects.count() == 1
    assert page_client(social_worker).get("/privacy/breaches/").status_code == 404
