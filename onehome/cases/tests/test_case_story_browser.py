"""In Chromium on a 360 px phone screen (issue 15, point 10): a social worker opens a case
and reads what the report said (place, reporter, issue, risks, a link to the report), then
sends a referral from the case page and sees the case become "referred" in that one step.
Screenshots go to ONEHOME_SHOTS (default: shots/ in the temporary directory)."""

import os
import re
import tempfile
from pathlib import Path

import pytest

from onehome.access.models import Role, ScopeLevel, User
from onehome.cases.intake import services as intake
from onehome.cases.intake import triage
from onehome.cases.models import CallType, Case, CaseStatus, Channel, Referral
from onehome.conftest import WIANG, signed_in_page
from onehome.geo.models import Subdistrict
from onehome.orgs.models import Organisation, OrgKind

PASSWORD = "browser-test-pw"
SHOTS = Path(os.environ.get("ONEHOME_SHOTS") or Path(tempfile.gettempdir()) / "shots")


@pytest.fixture
def story(live_data):
    office = Organisation.objects.create(
        code="s-office", kind=OrgKind.PROVINCIAL_OFFICE, name_th="พมจ.เชียงราย", province_id="57"
    )
    office.serves.set(Subdistrict.objects.filter(province_id="57"))
    centre = Organisation.objects.create(
        code="s-centre",
        kind=OrgKind.ASSISTANCE_CENTRE,
        name_th="ศูนย์ช่วยเหลือสังคมตำบลเวียง",
        province_id="57",
    )
    centre.serves.add(WIANG)

    def user(name, *roles, org=None, level=ScopeLevel.PROVINCE, code="57"):
        return User.objects.create_user(
            username=name,
            password=PASSWORD,
            roles=list(roles),
            scope_level=level,
            scope_code=code,
            organisation=org,
            first_name=name,
        )

    operator = user("operator", Role.HOTLINE_OPERATOR, level=ScopeLevel.NATION, code="")
    worker = user("worker", Role.SOCIAL_WORKER, Role.CENTRE_STAFF, org=centre)
    report = intake.create_report(
        actor=operator,
        channel=Channel.HOTLINE,
        call_type=CallType.NEW,
        subdistrict=WIANG,
        village="57010101",
        address="บ้านไม้สองชั้น หลังตลาดเวียง",
        category="elderly",
        subcategory="elderly_bedridden",
        risks=["bedridden", "no_food"],
        summary="ยายแก้วติดเตียง อยู่คนเดียว",
        reporter_name="นางสายใจ แจ้งดี",
        reporter_phone="0812345678",
    )
    case = triage.accept_report(actor=worker, report_id=report.pk, version=report.version)
    return {"case": case, "report": report, "office": office}


def choose_organisation(page, org: Organisation) -> None:
    """Pick the organisation in whatever way the referral form offers it: a select, or a
    picker whose value travels in a field named ``to_org``."""
    field = page.locator("form[action$='/refer/'] [name=to_org]")
    if field.evaluate("el => el.tagName") == "SELECT":
        field.select_option(str(org.pk))
        return
    search = page.locator(
        "form[action$='/refer/'] input[type=search], form[action$='/refer/'] input[role=combobox]"
    )
    if search.count():
        search.first.fill(org.name_th)
    field.evaluate("(el, value) => { el.value = value; }", str(org.pk))


@pytest.mark.browser
def test_the_case_page_tells_the_report_and_a_referral_moves_the_status(
    live_server, browser, story
):
    base = live_server.url
    case: Case = story["case"]
    assert case.status == CaseStatus.ASSESSING
    page = signed_in_page(browser, base, "worker", PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/")

    reports = page.locator("#reports")
    text = reports.inner_text()
    assert "บ้านไม้สองชั้น หลังตลาดเวียง" in text
    assert "บ้านทดสอบ" in text  # the village
    assert "นางสายใจ แจ้งดี" in text and "0812345678" in text
    assert "bedridden" not in text and "no_food" not in text  # labels, not codes
    assert reports.locator(".report-risks .badge").count() == 2
    link = reports.locator(f"a[href='/cases/reports/{story['report'].pk}/']")
    assert link.count() == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "story-01-case-report.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Closing is one action that first says what happens next (opened for the shot only).
    page.locator("#close > summary").click()
    assert page.locator("#close .closure-next").is_visible()
    assert page.locator("#close button[data-action=close-confirm]").is_visible()
    page.screenshot(path=str(SHOTS / "story-01b-close-panel.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#close > summary").click()
    assert case.status == CaseStatus.ASSESSING

    # No status button to "referred": the referral form is the one way.
    assert page.locator("input[name=to_status][value=referred]").count() == 0
    choose_organisation(page, story["office"])
    page.fill("#id_need", "ประเมินสภาพบ้านและหาผู้ดูแล")
    page.locator("form[action$='/refer/'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/cases/{case.pk}/(#referrals)?$"))
    page.wait_for_load_state()

    assert Referral.objects.filter(case=case, to_org=story["office"]).count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    assert page.locator(".badge.status-referred").count() >= 1
    assert case.number in page.locator(".alert-success").first.inner_text()
    page.screenshot(path=str(SHOTS / "story-02-referred.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_the_intake_page_offers_the_chosen_issues_sub_problems(live_server, browser, story):
    from onehome.cases.intake import catalogue

    base = live_server.url
    page = signed_in_page(browser, base, "operator", PASSWORD)
    page.goto(f"{base}/cases/intake/")
    elderly = {s.code for s in catalogue.issue("elderly").subs}
    page.select_option("#id_category", "elderly")
    page.wait_for_function(
        "() => !document.querySelector('#id_subcategory optgroup')"
        " && document.querySelectorAll('#id_subcategory option').length > 1"
    )
    offered = set(
        page.eval_on_selector_all("#id_subcategory option", "els => els.map(e => e.value)")
    )
    assert offered - {""} == elderly
    page.select_option("#id_subcategory", "elderly_bedridden")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
