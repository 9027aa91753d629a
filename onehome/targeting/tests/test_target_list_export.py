"""The target-list export a field worker can use: headers in the page's language, the head's
name, house number, village and sub-district by name, the indicators not met in words, the
welfare-card flag and the assigned worker; only households of the user's area, names only
of registry households the user may read, one audit row naming what was read, and
survey text that a spreadsheet would run written as text."""

import csv
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from onehome.access.models import AuditEvent, Role
from onehome.cases.models import Case, CaseStatus, CaseWorker, Urgency
from onehome.errors import NotInScopeError
from onehome.orgs.models import Organisation, OrgKind
from onehome.registry import services
from onehome.targeting.results import target_lists
from onehome.targeting.tests import finished

THAI_HEADERS = [
    "รหัสครัวเรือนในการสำรวจ",
    "รหัสประจำบ้าน",
    "หัวหน้าครัวเรือน",
    "บ้านเลขที่",
    "รหัสหมู่บ้าน",
    "หมู่บ้าน",
    "ตำบล",
    "สมาชิก",
    "สมาชิกที่ยากจน",
    "คะแนนความขาดแคลน",
    "ตัวชี้วัดที่ไม่ผ่านเกณฑ์",
    "บัตรสวัสดิการแห่งรัฐ",
    "ผู้รับผิดชอบ",
    "ครัวเรือนในทะเบียน",
]
ENGLISH_HEADERS = [
    "Survey household ID",
    "House registration number",
    "Head of household",
    "House number",
    "Village code",
    "Village",
    "Sub-district",
    "Members",
    "Poor members",
    "Deprivation score",
    "Indicators not met",
    "Welfare card",
    "Assigned worker",
    "Registry household",
]


@pytest.fixture
def home(run, worker, make_person, make_household):
    """H1's registry household: บุญมา ใจดี (the survey's elder) heads it at 12/3, with an
    open case whose lead worker is นภา ศรีสุข."""
    elder = make_person("บุญมา", "ใจดี", id_number=finished.KEY_H1_ELDER)
    household = make_household(village="57010101", house_no="12/3", registration_no="57010100999")
    services.add_member(
        actor=worker, household_id=household.pk, person_id=elder.pk, relationship="head"
    )
    org = Organisation.objects.create(
        code="t-export", kind=OrgKind.PROVINCIAL_OFFICE, name_th="สำนักงานทดสอบ"
    )
    case = Case.objects.create(
        number="T-EXPORT-1",
        urgency=Urgency.NORMAL,
        category="elderly",
        title="t",
        subdistrict_id="570101",
        household=household,
        owner=org,
        status=CaseStatus.ASSESSING,
    )
    lead = worker.__class__.objects.create_user(
        username="napa", first_name="นภา", last_name="ศรีสุข", roles=[Role.SOCIAL_WORKER]
    )
    CaseWorker.objects.create(case=case, user=lead, lead=True)
    return household


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # Excel reads Thai as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_thai_export_names_the_head_the_house_and_the_needs_in_words(run, worker, home):
    with translation.override("th"):
        content, _type, name = target_lists.export_target_list(user=worker, run=run)
    header, *rows = csv_rows(content)
    assert header == THAI_HEADERS and name.endswith(".csv")
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["รหัสครัวเรือนในการสำรวจ"] == "H1"
    assert row["หัวหน้าครัวเรือน"] == "บุญมา ใจดี"
    assert row["บ้านเลขที่"] == "12/3" and row["รหัสประจำบ้าน"] == "57010100999"
    assert row["หมู่บ้าน"] == "บ้านทดสอบ" and row["ตำบล"] == "เวียง"
    assert row["ตัวชี้วัดที่ไม่ผ่านเกณฑ์"] == (
        "คนอายุ 15-59 ปี มีอาชีพและมีรายได้, รายได้เฉลี่ยของคนในครัวเรือนต่อปี, "
        "คนอายุ 60 ปีขึ้นไป ได้รับการดูแลจากครอบครัว ชุมชน ภาครัฐ หรือภาคเอกชน"
    )
    assert row["บัตรสวัสดิการแห่งรัฐ"] == "มี"
    assert row["ผู้รับผิดชอบ"] == "นภา ศรีสุข"
    assert row["ครัวเรือนในทะเบียน"] == str(home.pk)
    assert "bmn" not in rows[0][10]  # no indicator id


def test_english_export_has_english_headers_and_words(run, worker, home):
    with translation.override("en"):
        content, _type, _name = target_lists.export_target_list(
            user=worker, run=run, only_target=False
        )
    header, *rows = csv_rows(content)
    assert header == ENGLISH_HEADERS
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert set(by_id) == {"H1", "H3"}
    assert by_id["H1"]["Indicators not met"].startswith("people 15-59 have an occupation")
    assert by_id["H1"]["Welfare card"] == "Has a card" and by_id["H3"]["Welfare card"] == "No card"
    # H3 is not in the registry: its survey figures, no name.
    assert by_id["H3"]["Head of household"] == "" and by_id["H3"]["Village"] == "บ้านทดสอบ"


def test_excel_export_has_the_same_columns(run, worker, home):
    with translation.override("th"):
        content, _type, name = target_lists.export_target_list(user=worker, run=run, fmt="xlsx")
    values = list(load_workbook(io.BytesIO(content)).active.values)
    assert list(values[0]) == THAI_HEADERS and name.endswith(".xlsx")
    assert values[1][2] == "บุญมา ใจดี" and values[1][3] == "12/3"


def test_out_of_scope_households_are_absent_and_analysts_get_nothing(
    run, outsider, home, make_user
):
    content, _type, _name = target_lists.export_target_list(user=outsider, run=run)
    _header, *rows = csv_rows(content)
    assert [r[0] for r in rows] == ["HB"]  # Bangkok's only: no Chiang Rai household, no name
    assert "บุญมา" not in content.decode("utf-8-sig")
    with pytest.raises(NotInScopeError):
        target_lists.export_target_list(user=make_user(Role.ANALYST), run=run)


def test_a_nation_user_sees_bangkok_too_and_a_sensitive_case_hides_its_worker(run, home, make_user):
    Case.objects.filter(household=home).update(sensitive=True)
    nation = make_user(Role.SOCIAL_WORKER, level="nation", code="")
    content, _type, _name = target_lists.export_target_list(user=nation, run=run)
    header, *rows = csv_rows(content)
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert set(by_id) == {"HB", "H1"}
    assert by_id["H1"]["หัวหน้าครัวเรือน"] == "บุญมา ใจดี"
    assert by_id["H1"]["ผู้รับผิดชอบ"] == ""  # not theirs to know


def test_page_export_is_refused_to_analysts(client, run, make_user):
    client.force_login(make_user(Role.ANALYST))
    url = f"/targeting/runs/{run.pk}/households/export/?format=csv"
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(object_type="targeting.targetlist").exists()


def test_one_audit_row_names_the_households_heads_and_cases(run, worker, home):
    target_lists.export_target_list(user=worker, run=run)
    event = AuditEvent.objects.get(object_type="targeting.targetlist")
    assert event.action == "export" and event.actor_id == worker.pk
    assert event.after["ids"] == ["H1"] and event.after["rows"] == 1
    assert event.after["registry_households"] == [home.pk]
    head = home.memberships.get(relationship="head").person_id
    assert event.after["people"] == [head]
    assert event.after["cases"] == list(
        Case.objects.filter(household=home).values_list("pk", flat=True)
    )


def test_names_from_the_registry_that_a_spreadsheet_would_run_come_out_as_text(
    client, run, worker, home
):
    person = home.memberships.get(relationship="head").person
    type(person).objects.filter(pk=person.pk).update(first_name_th="=HYPERLINK(1)")
    type(home).objects.filter(pk=home.pk).update(house_no="+12")
    client.force_login(worker)
    client.cookies["django_language"] = "en"
    response = client.get(f"/targeting/runs/{run.pk}/households/export/?format=csv")
    header, *rows = csv_rows(response.content)
    row = dict(zip(header, rows[0], strict=True))
    assert row["Head of household"] == "'=HYPERLINK(1) ใจดี"
    assert row["House number"] == "'+12"
