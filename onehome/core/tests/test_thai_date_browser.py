"""In a real browser (Debian's Chromium through Playwright) on a 360 px phone screen, in Thai:
a date typed in the Buddhist era in Thai order, or picked from the calendar with the mouse or
the keyboard, is stored as the Gregorian date. Screenshots go to ONEHOME_SHOTS."""

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from onehome.access.models import Role, ScopeLevel, User
from onehome.cases.intake import services as intake
from onehome.cases.intake import triage
from onehome.cases.models import CallType, Channel, Urgency
from onehome.conftest import WIANG, signed_in_page
from onehome.orgs.models import Organisation, OrgKind
from onehome.registry import services

PASSWORD = "browser-test-pw"
SHOTS = Path(os.environ.get("ONEHOME_SHOTS") or Path(tempfile.gettempdir()) / "shots")


def _fits(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"thai-date-{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def _user(*roles, org=None) -> User:
    return User.objects.create_user(
        username=f"u-{'-'.join(roles)}",
        password=PASSWORD,
        roles=list(roles),
        scope_level=ScopeLevel.PROVINCE if org else ScopeLevel.NATION,
        scope_code="57" if org else "",
        organisation=org,
    )


@pytest.fixture
def person_and_worker(live_data):
    centre = Organisation.objects.create(
        code="d-centre", kind=OrgKind.ASSISTANCE_CENTRE, name_th="ศูนย์ช่วยเหลือสังคมตำบลเวียง",
        province_id="57",
    )  # fmt: skip
    centre.serves.add(WIANG)
    worker = _user(Role.SOCIAL_WORKER, Role.CENTRE_STAFF, org=centre)
    person = services.register_person(
        actor=worker, id_type="none", first_name_th="บุญมา", last_name_th="ใจงาม",
        birth_year=2501, subdistrict=WIANG,
    )  # fmt: skip
    return person, worker, centre


@pytest.mark.browser
def test_a_birth_date_typed_or_picked_in_the_buddhist_era_is_stored_gregorian(
    live_server, browser, person_and_worker
):
    person, worker, _centre = person_and_worker
    assert person.birth_date == dt.date(1958, 7, 1)  # 2501 typed as a birth year
    page = signed_in_page(browser, live_server.url, worker.username, PASSWORD)
    edit = f"{live_server.url}/people/{person.pk}/edit/"

    # Typed, Thai order and Buddhist era: 14/12/2510 is 14 December 1967.
    page.goto(edit)
    assert page.get_attribute("#id_birth_date", "placeholder") == "วว/ดด/ปปปป"
    assert page.input_value("#id_birth_year") == "2501"  # the year shown in its era too
    page.fill("#id_birth_year", "")
    page.fill("#id_birth_date", "14/12/2510")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/people/{person.pk}/")
    person.refresh_from_db()
    assert person.birth_date == dt.date(1967, 12, 14) and not person.birth_date_approximate
    assert "14 ธ.ค. 2510" in page.content()

    # Picked with the keyboard: the calendar opens on the date in the box, in the Buddhist era.
    page.goto(edit)
    assert page.input_value("#id_birth_date") == "14/12/2510"
    page.click("[data-thai-date-open=id_birth_date]")
    dialog = page.locator(".thai-date-dialog[role=dialog]")
    dialog.wait_for()
    assert page.locator(".thai-date-day:focus").get_attribute("aria-label") == "14 ธันวาคม 2510"
    assert dialog.locator("[data-part=year] option:checked").inner_text() == "2510"
    _fits(page, "calendar-open")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")  # 15, then a week later: 22 December
    page.keyboard.press("Enter")
    assert page.input_value("#id_birth_date") == "22/12/2510"
    assert dialog.count() == 0

    # Picked with the mouse: year and month from the lists, then the day.
    page.click("[data-thai-date-open=id_birth_date]")
    dialog.locator("[data-part=year]").select_option(label="2512")
    dialog.locator("[data-part=month]").select_option(label="มีนาคม")
    dialog.locator(".thai-date-day", has_text=re.compile(r"^3$")).click()
    assert page.input_value("#id_birth_date") == "03/03/2512"
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/people/{person.pk}/")
    person.refresh_from_db()
    assert person.birth_date == dt.date(1969, 3, 3)

    # Escape closes the calendar and gives the focus back to its button.
    page.goto(edit)
    page.click("[data-thai-date-open=id_birth_date]")
    page.keyboard.press("Escape")
    assert dialog.count() == 0
    assert page.evaluate("document.activeElement.dataset.thaiDateOpen") == "id_birth_date"
    page.close()


@pytest.mark.browser
def test_a_plan_due_date_typed_in_the_buddhist_era_is_stored_gregorian(
    live_server, browser, person_and_worker
):
    _person, worker, centre = person_and_worker
    operator = _user(Role.HOTLINE_OPERATOR)
    report = intake.create_report(
        actor=operator, channel=Channel.HOTLINE, call_type=CallType.NEW, subdistrict=WIANG,
        category="elderly", subcategory="elderly_bedridden", urgency=Urgency.NORMAL,
        summary="ยายอยู่ลำพัง ติดเตียง",
    )  # fmt: skip
    case = triage.accept_report(actor=worker, report_id=report.pk, version=report.version)
    # 14 December 2569 (2026), or the same day of a later year once that date has passed.
    due = dt.date(2026, 12, 14)
    while due <= timezone.localdate():
        due = due.replace(year=due.year + 1)

    page = signed_in_page(browser, live_server.url, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("details:has(form[action$='/plan/']) > summary").click()
    plan = page.locator("form[action$='/plan/']")
    plan.locator("[name=dimension]").select_option(index=0)
    plan.locator("[name=goal]").fill("มีผู้ดูแลประจำ")
    plan.locator("[name=action]").fill("ประสาน อพม. เยี่ยมบ้าน")
    # The agency field may be a list or a search picker: set the chosen organisation directly.
    page.evaluate(
        "pk => { const f = document.querySelector('form[action$=\"/plan/\"] [name=agency]');"
        " if (f.tagName === 'SELECT' && !f.querySelector(`option[value=\"${pk}\"]`))"
        " f.append(new Option('', pk)); f.value = pk; }",
        str(centre.pk),
    )
    plan.locator("[name=due_date]").fill(f"{due.day}/{due.month}/{due.year + 543}")
    _fits(page, "plan-due-date")
    page.locator("[data-action=add-goal]").click()
    page.wait_for_load_state()
    goal = case.plan.get()
    assert goal.due_date == due
    page.close()
