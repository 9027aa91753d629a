"""In a real browser (Debian's Chromium through Playwright), in Thai: every role of the role
table signs in and opens its main pages (home, every page its menu offers, and the person,
household, case, report and targeting pages it may read), on a desktop (1280 px) and a phone
(360 px); axe-core (`axe.py`) finds no violation of serious or critical impact on any of
them, and none scrolls sideways. The menu offers each role only pages it may open."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from onehome.access.models import Role, ScopeLevel, User
from onehome.access.roles import Action, may
from onehome.cases.intake import services as intake
from onehome.cases.intake import triage
from onehome.cases.models import CallType, Channel, Urgency
from onehome.conftest import WIANG, make_thai_id
from onehome.geo.models import Subdistrict
from onehome.notifications.services import notify
from onehome.orgs.models import Organisation, OrgKind
from onehome.registry import services as registry
from onehome.registry.models import IdType
from onehome.targeting.tests.finished import finished_run
from onehome.web.navigation import menu_for

from .axe import describe, serious_violations


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(live_data, fast_passwords, tmp_path):
    """A centre serving ตำบลเวียง with a user of every role, an urgent hotline report taken
    up as a case, a person in a household, and a finished targeting run."""
    centre = Organisation.objects.create(
        code="a11y-centre",
        kind=OrgKind.ASSISTANCE_CENTRE,
        name_th="ศูนย์ช่วยเหลือสังคมตำบลเวียง",
        province_id="57",
        location_id=WIANG,
    )
    centre.serves.set(Subdistrict.objects.filter(province_id="57"))
    users = {}
    for role in Role:
        nation = role == Role.HOTLINE_OPERATOR
        level, code = (ScopeLevel.NATION, "") if nation else (ScopeLevel.PROVINCE, "57")
        users[role] = User.objects.create_user(
            username=f"a11y-{role.value}",
            password="a11y-pw",
            roles=[role.value],
            scope_level=level,
            scope_code=code,
            organisation=centre,
            first_name=f"ผู้ทดสอบ {role.label}",
        )
    worker = users[Role.SOCIAL_WORKER]
    person = registry.register_person(
        actor=worker,
        first_name_th="สมศรี",
        last_name_th="ใจงาม",
        subdistrict=WIANG,
        id_type=IdType.THAI_ID,
        id_number=make_thai_id(),
        birth_year=1950,
        sex="female",
        acknowledge_duplicates=True,
    )
    household = registry.create_household(actor=worker, subdistrict=WIANG, house_no="9/1")
    registry.add_member(
        actor=worker, household_id=household.pk, person_id=person.pk, relationship="head"
    )
    report = intake.create_report(
        actor=users[Role.HOTLINE_OPERATOR],
        channel=Channel.HOTLINE,
        call_type=CallType.NEW,
        subdistrict=WIANG,
        category="elderly",
        subcategory="elderly_bedridden",
        urgency=Urgency.URGENT,
        summary="ยายอยู่ลำพัง ติดเตียง ไม่มีผู้ดูแล",
    )
    waiting = intake.create_report(
        actor=users[Role.HOTLINE_OPERATOR],
        channel=Channel.HOTLINE,
        call_type=CallType.NEW,
        subdistrict=WIANG,
        category="elderly",
        subcategory="elderly_bedridden",
        urgency=Urgency.URGENT,
        summary="ตาอยู่คนเดียว ไม่มีอาหาร",
    )
    case = triage.accept_report(actor=worker, report_id=report.pk, version=report.version)
    notify(users=list(users.values()), kind="test", title="มีเรื่องใหม่")  # the unread badge
    run = finished_run(tmp_path)
    details = [
        (Action.READ_PERSONAL_DATA, reverse("registry:person", args=[person.pk])),
        (Action.READ_PERSONAL_DATA, reverse("registry:household", args=[household.pk])),
        (Action.READ_CASES, reverse("cases:case", args=[case.pk])),
        (Action.READ_CASES, reverse("cases:report", args=[waiting.pk])),
        (Action.READ_TARGETING, reverse("targeting:nation", args=[run.pk])),
        (Action.READ_TARGETING, reverse("targeting:area", args=[run.pk, "57"])),
        (Action.READ_PERSONAL_DATA, reverse("targeting:target_list", args=[run.pk])),
    ]
    return {"users": users, "details": details}


def _pages_of(user: User, details) -> tuple[list[str], list[str]]:
    """The pages the user's menu offers (with home, notifications and their tokens), and
    the record pages their roles may read."""
    menu = [reverse("home")]
    menu += [item.url for group in menu_for(user) for item in group.items]
    if may(user, Action.READ_PERSONAL_DATA):
        menu.append(reverse("notifications:inbox"))
    menu.append(reverse("tokens:mine"))
    records = [url for action, url in details if may(user, action)]
    return list(dict.fromkeys(menu)), records


def _signed_in_context(browser, base: str, user: User, width: int):
    """A Thai tab with the user's session (made by the test client's `force_login`, which
    confirms the second factor for the users who need one)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="th-TH")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    return context


# What axe would see of a page but for the menu (each role's is checked on its home page):
# every element after the menu with its attributes and its own text, less what changes
# with every answer and axe never reads (the values of hidden inputs: CSRF and idempotency
# keys; CSP nonces).
CONTENT = """() => {
  const parts = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('nav.navbar')) continue;
    const hidden = el.matches('input[type=hidden]');
    const attrs = [...el.attributes]
      .filter(a => a.name !== 'nonce' && !(hidden && a.name === 'value'))
      .map(a => a.name + '=' + a.value).sort().join(' ');
    const text = [...el.childNodes].filter(n => n.nodeType === 3)
      .map(n => n.textContent.trim()).join(' ');
    parts.push(el.tagName + '[' + attrs + ']' + text);
  }
  return parts.join('\\n');
}"""


@pytest.mark.browser
@pytest.mark.once_in_ci("postgresql")
def test_every_roles_main_pages_have_no_serious_axe_violation(live_server, browser, world):
    """At 1280 px every role opens each of its pages; axe checks home (the role's menu)
    and each page whose content, less the menu, differs from every page checked before:
    a page that differs by role only in its menu is checked once, one that draws other
    buttons for a role is checked again. At 360 px each role opens home with its menu and
    its account menu open, and each page is opened once (by the first role that may).
    Every page opened is checked for sideways scrolling."""
    base = live_server.url
    problems, refused, seen_at_360, seen_content = [], [], set(), set()
    checked = checked_by_axe = 0

    def check(page, where: str, *, axe: bool = True) -> None:
        if axe and (found := serious_violations(page)):
            problems.append(describe(found, f"[{where}]"))
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            problems.append(f"[{where}] scrolls sideways")

    for role, user in world["users"].items():
        menu, records = _pages_of(user, world["details"])
        context = _signed_in_context(browser, base, user, 1280)
        page = context.new_page()
        page.set_default_timeout(30_000)
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 800})
            for path in menu + records:
                if width == 360 and path in seen_at_360 and path != "/":
                    continue
                answer = page.goto(base + path)
                if answer.status != 200:
                    if path in menu or answer.status >= 500:
                        refused.append(f"{role.value} {path}: {answer.status}")
                    continue
                seen_at_360.add(path) if width == 360 else None
                checked += 1
                axe = True
                if width == 1280 and path != "/":
                    content = page.evaluate(CONTENT)
                    axe = content not in seen_content
                    seen_content.add(content)
                checked_by_axe += axe
                check(page, f"{role.value} {width}px {path}", axe=axe)
                if width == 360 and path == "/":
                    page.locator("button.navbar-toggler").click()
                    page.wait_for_selector("#main-nav.show:not(.collapsing)")
                    page.locator("li[data-group=account] summary").click()
                    check(page, f"{role.value} {width}px / with the menu open")
        context.close()
    assert not problems, "\n".join(problems)
    # The menu offers only pages the role may open.
    assert not refused, "\n".join(refused)
    assert checked >= 13 * 5
    print(f"{checked} pages opened, {checked_by_axe} checked by axe")  # pytest -s
