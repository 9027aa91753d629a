"""Labels, not codes (issue 15): every kind of record the audit log holds (models, pages,
target-list exports, survey households, sign-ins, the demo) is named in the page's
language, and a list row says it is a list instead of "#list"."""

import re

from django.apps import apps
from django.utils import translation

from onehome.access import audit
from onehome.access.models import AuditAction, Role, ScopeLevel
from onehome.web.templatetags.code_labels import RECORD_KINDS, object_id_label, object_type_label

THAI = re.compile(r"[\u0e00-\u0e7f]")


def kinds() -> list[str]:
    models = [
        m._meta.label_lower
        for m in apps.get_models()
        if m.__module__.startswith("onehome.") or m._meta.app_label == "knox"
    ]
    return sorted({*models, *RECORD_KINDS})


def test_every_kind_of_record_has_a_thai_name():
    with translation.override("th"):
        untranslated = [k for k in kinds() if not THAI.search(object_type_label(k))]
    assert untranslated == []
    with translation.override("en"):
        assert object_type_label("targeting.household") == "Survey household"
        assert object_type_label("cases.case") == "Case"


def test_an_unknown_kind_shows_as_it_is():
    assert object_type_label("somewhere.else") == "somewhere.else"


def test_list_rows_say_list():
    with translation.override("en"):
        assert object_id_label("list") == "list of records"
        assert object_id_label("search") == "search results"
    assert object_id_label("12") == "#12" and object_id_label("") == ""


def test_audit_page_shows_no_raw_kinds(client, make_user, make_person):
    person = make_person()
    auditor = make_user(Role.AUDITOR, level=ScopeLevel.NATION, code="")
    rows = [{"household_id": "H1"}]
    audit.listed(auditor, rows, kind="targeting.household", key="household_id", purpose="t")
    audit.record_shown(auditor, {"registry.person": [person]}, purpose="t")
    for kind in ("targeting.targetlist", "signin", "demo", "cases.case", "knox.authtoken"):
        audit.record(actor=auditor, action=AuditAction.READ, object_type=kind, object_id="1")
    client.force_login(auditor)
    body = client.get("/audit/").content.decode()
    for raw in ("targeting.", "#list", "page ", "signin", "demo ", "cases.case", "knox."):
        assert raw not in body, raw
    assert "ครัวเรือนในการสำรวจ รายการข้อมูล" in body
    assert "หน้าที่แสดงข้อมูล รายการข้อมูล" in body
    assert "การส่งออกรายชื่อครัวเรือนเป้าหมาย #1" in body
