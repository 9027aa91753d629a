"""In a real browser (Debian's Chromium through Playwright), on a 360 px phone screen:
an operator takes a hotline report → a worker accepts it, assesses it and refers it to the
hospital → the hospital reports the outcome → the supervisor approves closure. Screenshots
of each page go to ONEHOME_SHOTS (default: shots/ in the temporary directory) for a person
to look at."""

import os
import re
import tempfile
from pathlib import Path

import pytest

from onehome.access.models import Role, ScopeLevel, User
from onehome.cases.models import Case, CaseStatus, ReferralStatus, Report
from onehome.conftest import WIANG, signed_in_page
from onehome.geo.models import Subdistrict
from onehome.orgs.models import Organisation, OrgKind
from onehome.privacy.tests.helpers import give_referral_consent

PASSWORD = "browser-test-pw"
SHOTS = Path(os.environ.get("ONEHOME_SHOTS") or Path(tempfile.gettempdir()) / "shots")


@pytest.fixture
def network(live_data):
    office = Organisation.objects.create(
        code="b-office", kind=OrgKind.PROVINCIAL_OFFICE, name_th="พมจ.เชียงราย", province_id="57"
    )
    office.serves.set(Subdistrict.objects.filter(province_id="57"))
    centre = Organisation.objects.create(
        code="b-centre",
        kind=OrgKind.ASSISTANCE_CENTRE,
        name_th="ศูนย์ช่วยเหลือสังคมตำบลเวียง",
        province_id="57",
    )
    centre.serves.add(WIANG)
    hospital = Organisation.objects.create(
        code="b-hosp", kind=OrgKind.HOSPITAL, name_th="โรงพยาบาลเชียงราย", province_id="57"
    )

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

    return {
        "operator": user("operator", Role.HOTLINE_OPERATOR, level=ScopeLevel.NATION, code=""),
        "worker": user("worker", Role.SOCIAL_WORKER, Role.CENTRE_STAFF, org=centre),
        "nurse": user("nurse", Role.SOCIAL_WORKER, org=hospital),
        "supervisor": user("supervisor", Role.SUPERVISOR, org=centre),
        "hospital": hospital,
    }


class Session:
    """One person's browser tab."""

    def __init__(self, browser, base: str, username: str):
        self.base = base
        self.page = signed_in_page(browser, base, username, PASSWORD)

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        assert self.page.evaluate("document.documentElement.scrollWidth") <= 360, name

    def click_action(self, action: str) -> None:
        self.page.locator(f"button[data-action={action}]").click()
        self.page.wait_for_load_state()


@pytest.mark.browser
def test_a_hotline_report_travels_the_whole_loop_to_closure(live_server, browser, network):
    base = live_server.url

    # An operator takes the call, with the keyboard: type, Tab, Enter.
    operator = Session(browser, base, "operator")
    operator.goto("/cases/intake/")
    page = operator.page
    page.fill("#id_subdistrict", WIANG)
    page.select_option("#id_category", "elderly")
    page.select_option("#id_subcategory", "elderly_bedridden")
    page.fill("#id_summary", "ตาคำติดเตียง อยู่คนเดียว ไม่มีคนดูแล")
    page.fill("#id_form-0-name", "ตาคำ")
    page.fill("#id_form-0-age", "81")
    operator.shot("01-intake")
    page.focus("#id_form-0-age")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/cases/reports/\d+/$"))
    report = Report.objects.get()
    assert report.reference in page.content()
    operator.shot("02-report-saved")

    # The centre's worker accepts it from the dispatch board.
    worker = Session(browser, base, "worker")
    worker.goto("/cases/dispatch/")
    worker.shot("03-dispatch")
    worker.page.locator(f"form[action='/cases/reports/{report.pk}/accept/'] button").click()
    worker.page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case = Case.objects.get()
    assert case.status == CaseStatus.ASSESSING
    worker.shot("04-case")

    # …records an assessment from its collapsed section (every work form opened for the shot).
    worker.page.locator("details:has(form[action$='/assessment/']) > summary").click()
    worker.page.select_option("#id_level_living", "3")
    worker.page.fill("#id_note_living", "บ้านผุ หลังคารั่ว")
    worker.click_action("assess")
    assert case.assessments.get().dimensions["living"]["level"] == 3
    worker.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    worker.shot("04b-case-work-sections")

    # …and refers it to the hospital, outside the ministry: with the family's consent (PDPA).
    give_referral_consent(case)
    worker.page.type("#id_to_org", "โรงพยาบาล", delay=40)  # the organisation picker
    worker.page.locator("#id_to_org_list [role=option]", has_text="โรงพยาบาลเชียงราย").click()
    assert worker.page.input_value("#id_to_org_value") == str(network["hospital"].pk)
    worker.page.fill("#id_need", "พยาบาลเยี่ยมบ้าน ตรวจแผลกดทับ")
    worker.page.locator("form[action$='/refer/'] button[type=submit]").click()
    worker.page.wait_for_load_state()
    referral = case.referrals.get()

    # The hospital accepts and reports the outcome from its inbox.
    nurse = Session(browser, base, "nurse")
    nurse.goto("/cases/referrals/")
    nurse.shot("05-referral-inbox")
    nurse.page.locator(f"#step-{referral.pk} button", has_text=re.compile("รับ|Accept")).click()
    nurse.page.wait_for_load_state()
    nurse.page.fill(f"#text-{referral.pk}", "พยาบาลเยี่ยมบ้านแล้ว ทำแผลและสอนญาติ")
    nurse.page.locator(f"#step-{referral.pk} button[formaction$='/outcome/']").click()
    nurse.page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OUTCOME_REPORTED
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSISTANCE_REPORTED

    # The worker confirms the help and closes the case: one action, confirmed after reading
    # what happens next, that goes to the supervisor.
    worker.goto(f"/cases/{case.pk}/")
    worker.click_action("confirm_assistance")
    worker.page.locator("#close > summary").click()
    worker.click_action("close-confirm")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED
    worker.goto("/cases/")
    worker.shot("06-my-work-worker")

    # The supervisor finds it among the cases, marked as a closure to approve, and closes it.
    supervisor = Session(browser, base, "supervisor")
    supervisor.goto("/cases/")
    supervisor.shot("07-my-work-supervisor")
    supervisor.page.locator(
        f"#cases a[href='/cases/{case.pk}/']:has([data-reason=approval])"
    ).click()
    supervisor.page.wait_for_url(f"{base}/cases/{case.pk}/")
    supervisor.page.locator("#close > summary").click()
    supervisor.click_action("close-confirm")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    supervisor.shot("08-case-closed")

    # The caller looks the report up: a status, and no one's name.
    public = browser.new_page(viewport={"width": 360, "height": 740}, locale="th-TH")
    public.goto(f"{base}/report/track/?reference={report.reference}")
    assert report.reference in public.content() and "ตาคำ" not in public.content()
    public.screenshot(path=str(SHOTS / "09-track.png"), full_page=True)
    public.goto(f"{base}/report/")
    public.screenshot(path=str(SHOTS / "10-public-report.png"), full_page=True)
    assert public.evaluate("document.documentElement.scrollWidth") <= 360
    nurse.goto("/cases/notifications/")
    nurse.shot("11-notifications")
