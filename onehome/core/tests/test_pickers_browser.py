"""Pickers by name in a real browser (Debian's Chromium through Playwright) on a 360 px
phone: a worker registers a household by typing "เวียง" and choosing the sub-district
with the keyboard, then its village by name; and refers a case to an organisation chosen
by name, the ones serving the case's area suggested first. What was saved is checked in
the database; screenshots go to ONEHOME_SHOTS (default: shots/ in the temp directory)."""

import os
import tempfile
from pathlib import Path

import pytest

from onehome.access.models import Role, ScopeLevel, User
from onehome.conftest import WIANG, signed_in_page
from onehome.geo.models import Subdistrict
from onehome.orgs.models import Organisation, OrgKind
from onehome.registry.models import Household

PASSWORD = "browser-test-pw"
SHOTS = Path(os.environ.get("ONEHOME_SHOTS") or Path(tempfile.gettempdir()) / "shots")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


@pytest.fixture
def network(live_data):
    centre = Organisation.objects.create(
        code="pk-centre", kind=OrgKind.ASSISTANCE_CENTRE, province_id="57",
        name_th="ศูนย์ช่วยเหลือสังคมจังหวัดเชียงราย",
    )  # fmt: skip
    centre.serves.set(Subdistrict.objects.filter(province_id="57"))
    near = Organisation.objects.create(
        code="pk-family", kind=OrgKind.FAMILY_CENTRE, province_id="57", location_id=WIANG,
        name_th="ศูนย์พัฒนาครอบครัวในชุมชนตำบลเวียง",
    )  # fmt: skip
    near.serves.add(WIANG)
    far = Organisation.objects.create(
        code="pk-family-far", kind=OrgKind.FAMILY_CENTRE, province_id="57",
        location_id="570301", name_th="ศูนย์พัฒนาครอบครัวในชุมชนตำบลเวียง",
    )  # fmt: skip
    far.serves.add("570301")
    hospital = Organisation.objects.create(
        code="pk-hosp", kind=OrgKind.HOSPITAL, province_id="57", name_th="โรงพยาบาลเชียงราย"
    )
    worker = User.objects.create_user(
        username="picker-worker", password=PASSWORD, first_name="picker",
        roles=[Role.SOCIAL_WORKER, Role.CENTRE_STAFF], scope_level=ScopeLevel.PROVINCE,
        scope_code="57", organisation=centre,
    )  # fmt: skip
    return {"worker": worker, "near": near, "far": far, "hospital": hospital}


def choose(page, box: str, text: str, *, option_text: str | None = None) -> None:
    """Type into a picker and choose a suggestion: the first with the keyboard, or the
    one showing ``option_text`` by clicking it."""
    page.fill(box, "")
    page.type(box, text, delay=40)
    listbox = page.locator(f"{box}_list")
    listbox.locator("[role=option]").first.wait_for()
    if option_text is None:
        page.keyboard.press("ArrowDown")
        assert page.get_attribute(box, "aria-activedescendant")
        page.keyboard.press("Enter")
    else:
        listbox.locator("[role=option]", has_text=option_text).first.click()
    assert listbox.is_hidden()


@pytest.mark.browser
def test_a_household_area_is_chosen_by_typing_its_name(live_server, browser, network):
    base = live_server.url
    page = signed_in_page(browser, base, "picker-worker", PASSWORD)
    page.goto(f"{base}/people/households/new/")
    page.type("#id_subdistrict", "เวียง", delay=40)
    options = page.locator("#id_subdistrict_list [role=option]")
    options.first.wait_for()
    assert page.get_attribute("#id_subdistrict", "aria-expanded") == "true"
    assert "อำเภอเมืองเชียงราย" in options.first.inner_text()
    shot(page, "pickers-01-area-suggestions")
    assert options.nth(1).bounding_box()["y"] >= (
        options.first.bounding_box()["y"] + options.first.bounding_box()["height"] - 1
    )  # the suggestions do not overlap
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # chooses, does not submit
    assert page.input_value("#id_subdistrict_value") == WIANG
    assert page.input_value("#id_subdistrict").startswith("ตำบลเวียง › อำเภอเมืองเชียงราย")
    assert WIANG in page.inner_text("#id_subdistrict_chosen")
    assert page.url.endswith("/people/households/new/")

    choose(page, "#id_village", "ทดสอบ")  # only villages of the chosen sub-district
    assert page.input_value("#id_village_value") == "57010101"
    page.fill("#id_house_no", "5/1")
    shot(page, "pickers-02-area-chosen")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/people/households/*/")
    household = Household.objects.get(house_no="5/1")
    assert household.subdistrict_id == WIANG and household.village_id == "57010101"

    # Typing a name and not choosing it saves nothing and says why.
    page.goto(f"{base}/people/households/new/")
    page.type("#id_subdistrict", "เวียง", delay=40)
    page.keyboard.press("Escape")
    page.fill("#id_house_no", "9/9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#err-subdistrict").inner_text().strip()
    assert not Household.objects.filter(house_no="9/9").exists()
    page.close()


@pytest.mark.browser
def test_a_referral_goes_to_an_organisation_chosen_by_name(live_server, browser, network):
    from onehome.cases.intake import services as intake
    from onehome.cases.intake import triage
    from onehome.privacy.tests.helpers import give_referral_consent

    worker = network["worker"]
    report = intake.create_report(
        actor=worker, channel="hotline", call_type="new", subdistrict=WIANG, category="elderly"
    )
    case = triage.accept_report(actor=worker, report_id=report.pk, version=report.version)
    give_referral_consent(case)

    base = live_server.url
    page = signed_in_page(browser, base, "picker-worker", PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    # On focus, before typing: the organisations serving the case's sub-district first.
    page.focus("#id_to_org")
    first = page.locator("#id_to_org_list [role=option]").first
    first.wait_for()
    assert first.get_attribute("data-value") == str(network["near"].pk)
    assert "อำเภอเมืองเชียงราย" in first.inner_text()
    shot(page, "pickers-03-organisation-suggestions")
    page.locator("form[action$='/refer/']").screenshot(path=str(SHOTS / "pickers-03b-form.png"))

    choose(page, "#id_to_org", "โรงพยาบาล")
    assert page.input_value("#id_to_org_value") == str(network["hospital"].pk)
    page.fill("#id_need", "พยาบาลเยี่ยมบ้าน")
    shot(page, "pickers-04-organisation-chosen")
    page.locator("form[action$='/refer/'] button[type=submit]").click()
    page.wait_for_load_state()
    referral = case.referrals.get()
    assert referral.to_org_id == network["hospital"].pk
    page.close()


@pytest.mark.browser
def test_a_member_from_another_household_moves_only_once_confirmed(live_server, browser, network):
    from onehome.registry import services

    worker = network["worker"]
    person = services.register_person(
        actor=worker, id_type="none", first_name_th="บุญมี", last_name_th="ย้ายบ้าน",
        birth_year=1960, subdistrict=WIANG,
    )  # fmt: skip
    old = services.create_household(actor=worker, subdistrict=WIANG, house_no="1/1")
    new = services.create_household(actor=worker, subdistrict=WIANG, house_no="2/2")
    services.add_member(
        actor=worker, household_id=old.pk, person_id=person.pk, relationship="head",
        since=__import__("datetime").date(2020, 1, 1),
    )  # fmt: skip

    base = live_server.url
    page = signed_in_page(browser, base, "picker-worker", PASSWORD)
    page.goto(f"{base}/people/households/{new.pk}/")
    page.type("#id_person", "บุญมี", delay=40)
    option = page.locator("#id_person_list [role=option]").first
    option.wait_for()
    assert f"#{old.pk}" in option.inner_text()  # the household they live in now
    shot(page, "pickers-05-person-suggestions")
    option.click()
    assert page.input_value("#id_person_value") == str(person.pk)
    page.select_option("#id_relationship", "spouse")
    page.locator("#add-member form button[type=submit]").click()
    page.wait_for_load_state()
    confirm = page.locator("#confirm-move")
    assert "บุญมี" in confirm.inner_text()
    shot(page, "pickers-06-confirm-move")
    assert person.memberships.get(end_date__isnull=True).household_id == old.pk
    with page.expect_navigation():
        confirm.locator("button[data-action=confirm-move]").click()
    assert page.locator("#confirm-move").count() == 0
    assert person.memberships.get(end_date__isnull=True).household_id == new.pk
    page.close()
