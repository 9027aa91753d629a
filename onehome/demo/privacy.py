"""The demo's PDPA records: consents beyond those the referrals asked for (one withdrawn),
a data-subject request of each kind at each step (one past its 30 days), three breaches
(one past 72 hours without notice, one notified in time, one without risk), and a few old
closed cases anonymised by the retention schedule. Through the privacy services, by the
demo's DPO, then backdated like the cases (`case_clock`)."""

import datetime as dt
import random

from django.conf import settings
from django.utils import timezone

from onehome.access.models import User
from onehome.cases.models import Case, CaseEvent, CaseStatus, Party, PartyRole, Report
from onehome.privacy.breaches import services as breaches
from onehome.privacy.consent import services as consent
from onehome.privacy.models import (
    AnonymisedRecord,
    Breach,
    ConsentPurpose,
    ConsentRecord,
    DataRequest,
    EmergencyOverride,
    GivenBy,
    RequestStatus,
)
from onehome.privacy.requests import services as requests
from onehome.privacy.retention import anonymise
from onehome.registry.models import Person

DAY = dt.timedelta(days=1)
# (kind, received days ago, where it stands, what was asked, the answer)
REQUESTS = [
    ("access", 12, RequestStatus.ANSWERED, "ขอสำเนาข้อมูลทั้งหมดที่หน่วยงานเก็บไว้",
     "มอบสำเนาข้อมูลให้ผู้ขอด้วยตนเองที่ศูนย์"),
    ("access", 41, RequestStatus.RECEIVED, "ขอทราบว่าหน่วยงานใดเคยเปิดดูข้อมูลของตน", ""),
    ("rectification", 9, RequestStatus.IN_PROGRESS, "ขอแก้ไขเบอร์โทรศัพท์และที่อยู่ให้เป็นปัจจุบัน",
     ""),
    ("objection", 20, RequestStatus.REFUSED, "คัดค้านการส่งข้อมูลให้โรงพยาบาล",
     "ยังจำเป็นต้องประสานการรักษาต่อเนื่องเพื่อคุ้มครองชีวิตและสุขภาพ (ม.24(2)) แจ้งเหตุผลเป็นหนังสือแล้ว"),
    ("erasure", 3, RequestStatus.RECEIVED, "ขอให้ลบข้อมูลเรื่องที่ปิดไปแล้ว", ""),
]  # fmt: skip
ARCHIVE_CASES = 3


def reset_privacy(province: str) -> dict[str, int]:
    """Delete the province's PDPA records (before its cases and people). The audit log stays."""
    counts = {}
    counts["emergency overrides"], _ = EmergencyOverride.objects.filter(
        case__subdistrict__province_id=province
    ).delete()
    counts["consents"], _ = ConsentRecord.objects.filter(
        person__subdistrict__province_id=province
    ).delete()
    counts["data requests"], _ = DataRequest.objects.filter(
        person__subdistrict__province_id=province
    ).delete()
    counts["breaches"], _ = Breach.objects.filter(subdistrict__province_id=province).delete()
    AnonymisedRecord.objects.filter(subdistrict_code__startswith=province).delete()
    return counts


def province_has_privacy(province: str) -> bool:
    return DataRequest.objects.filter(person__subdistrict__province_id=province).exists()


def _subjects(province: str, n: int, rng: random.Random) -> list[Person]:
    """People who needed help in the province's cases (the ones a DPO hears from)."""
    ids = sorted(
        set(
            Party.objects.filter(
                role=PartyRole.VICTIM,
                person__isnull=False,
                report__subdistrict__province_id=province,
            ).values_list("person_id", flat=True)[:500]
        )
    )
    rng.shuffle(ids)
    return list(Person.objects.filter(pk__in=ids[:n]).order_by("pk"))


def build_privacy(*, province: str, seed: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Call inside the demo's transaction, after the cases and the logins."""
    now = now or timezone.now()
    rng = random.Random(f"{seed}:privacy")
    dpo = User.objects.get(username="dpo")
    people = _subjects(province, len(REQUESTS) + 4, rng)
    made = {"consents": 0, "requests": 0, "breaches": 0}
    # Consents for other purposes; one referral consent withdrawn.
    for person, purpose in zip(
        people[len(REQUESTS) :],
        [ConsentPurpose.CONTACT, ConsentPurpose.CASE_WORK] * 2,
        strict=False,
    ):
        consent.record_consent(actor=dpo, person_id=person.pk, purpose=purpose)
        made["consents"] += 1
    given = ConsentRecord.objects.filter(
        person__subdistrict__province_id=province,
        purpose=ConsentPurpose.REFERRAL_PARTNER,
        withdrawn_at__isnull=True,
        given_by=GivenBy.SELF,
    ).first()
    if given is not None:
        consent.withdraw_consent(
            actor=dpo, consent_id=given.pk, version=given.version,
            note="ไม่ประสงค์ให้ส่งข้อมูลต่อหน่วยงานภายนอกอีก",
        )  # fmt: skip
    # A request of each kind, at each step.
    today = timezone.localdate(now)
    for person, (kind, ago, status, details, answer) in zip(people, REQUESTS, strict=False):
        received = today - ago * DAY
        made_request = requests.record_request(
            actor=dpo, person_id=person.pk, kind=kind, received_on=received,
            requested_by_name="" if kind != "objection" else f"บุตรของ{person.full_name_th}",
            details=details,
        )  # fmt: skip
        if status != RequestStatus.RECEIVED:
            made_request = requests.move_request(
                actor=dpo, request_id=made_request.pk, to_status=RequestStatus.IN_PROGRESS,
                version=made_request.version,
            )  # fmt: skip
        if status in (RequestStatus.ANSWERED, RequestStatus.REFUSED):
            requests.move_request(
                actor=dpo, request_id=made_request.pk, to_status=status,
                version=made_request.version, text=answer,
            )  # fmt: skip
            DataRequest.objects.filter(pk=made_request.pk).update(
                answered_at=now - (ago - rng.randint(3, 10)) * DAY
            )
        DataRequest.objects.filter(pk=made_request.pk).update(created_at=now - ago * DAY)
        made["requests"] += 1
    made["breaches"] = _breaches(province, dpo, now)
    made["anonymised"] = _archive(province, now)
    return made


def _breaches(province: str, dpo: User, now: dt.datetime) -> int:
    office_sub = f"{province}0101"
    late = breaches.record_breach(
        actor=dpo, discovered_at=now - 4 * DAY, subdistrict=office_sub, risk="high",
        description="โน้ตบุ๊กของเจ้าหน้าที่ซึ่งมีแฟ้มรายชื่อผู้รับเงินสงเคราะห์ถูกขโมยจากรถยนต์",
        records_affected=320, people_affected=298,
        measures="แจ้งความแล้ว เปลี่ยนรหัสผ่านบัญชีของเจ้าหน้าที่ ตรวจสอบว่าเครื่องเข้ารหัสหรือไม่",
    )  # fmt: skip
    on_time = breaches.record_breach(
        actor=dpo, discovered_at=now - 20 * DAY, subdistrict=office_sub, risk="risk",
        description="ส่งรายชื่อครัวเรือนเปราะบางทางอีเมลไปยังหน่วยงานภาคีผิดคน",
        records_affected=45, people_affected=45,
        measures="ขอให้ผู้รับลบอีเมลและยืนยันเป็นหนังสือ ทบทวนขั้นตอนการส่งข้อมูล",
    )  # fmt: skip
    breach = breaches.notify_pdpc(
        actor=dpo, breach_id=on_time.pk, version=on_time.version, at=now - 18 * DAY
    )
    breaches.close_breach(
        actor=dpo, breach_id=on_time.pk, version=breach.version,
        reason="ผู้รับยืนยันการลบแล้ว ไม่พบการนำไปใช้",
    )  # fmt: skip
    harmless = breaches.record_breach(
        actor=dpo, discovered_at=now - 35 * DAY, subdistrict=office_sub, risk="none",
        description="แฟ้มเอกสารที่เข้ารหัสสูญหายระหว่างย้ายสำนักงาน",
        records_affected=12, people_affected=12, measures="ไฟล์เข้ารหัสทั้งหมด ไม่มีความเสี่ยง",
    )  # fmt: skip
    breaches.close_breach(
        actor=dpo, breach_id=harmless.pk, version=harmless.version,
        reason="ประเมินแล้วไม่มีความเสี่ยงต่อสิทธิของเจ้าของข้อมูล",
    )  # fmt: skip
    return len({late.pk, on_time.pk, harmless.pk})


def _archive(province: str, now: dt.datetime) -> int:
    """A few closed cases from long ago, past their retention: the schedule anonymises
    them, and the DPO's page shows it."""
    years = settings.ONEHOME_RETENTION_YEARS_CASES + 1
    shift = dt.timedelta(days=round(years * 365.25))
    old = list(
        Case.objects.filter(subdistrict__province_id=province, status=CaseStatus.CLOSED)
        .order_by("pk")
        .values_list("pk", flat=True)[:ARCHIVE_CASES]
    )
    for pk in old:
        case = Case.objects.get(pk=pk)
        Case.objects.filter(pk=pk).update(
            opened_at=case.opened_at - shift, closed_at=case.closed_at - shift
        )
        for report in Report.objects.filter(case_id=pk):
            Report.objects.filter(pk=report.pk).update(received_at=report.received_at - shift)
        for event in CaseEvent.objects.filter(case_id=pk):
            CaseEvent.objects.filter(pk=event.pk).update(at=event.at - shift)
    return anonymise.run(now=now).cases
