"""The main menu as data: groups of pages by work, each page with the action of the role
table that lets a user use it (`access.roles`), and the pages it stands for.

`menu_for(user, match)` gives what one user sees on one page: only the items their roles
may use, only the groups left with an item, and the current item and group marked (from
the request's `resolver_match`). The page shell draws it (`{% main_menu %}`,
`web/templatetags/onehome_ui.py`); nothing else decides what the menu shows.
"""

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onehome.access.roles import Action, may


@dataclass(frozen=True)
class Item:
    label: Promise
    url_name: str
    # The action the page needs (None: every signed-in user).
    action: Action | None = None
    # Other pages this item stands for (view names, `*` wildcards): a person's page is
    # under "Search people", a case under "My work".
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    key: str
    label: Promise
    items: tuple[Item, ...]


MENU: tuple[Group, ...] = (
    Group(
        "registry",
        _("Registry"),
        (
            Item(
                _("Search people"),
                "registry:search",
                Action.READ_PERSONAL_DATA,
                covers=("registry:person", "registry:person_*", "registry:merge_*"),
            ),
            Item(
                _("Households"),
                "registry:households",
                Action.READ_PERSONAL_DATA,
                covers=("registry:household*",),
            ),
            Item(_("Register person"), "registry:person_create", Action.WRITE_REGISTRY),
        ),
    ),
    Group(
        "cases",
        _("Hotline and cases"),
        (
            Item(
                _("Hotline intake"),
                "cases:intake",
                Action.TAKE_REPORTS,
                covers=("cases:intake*",),
            ),
            Item(
                _("Dispatch"),
                "cases:dispatch",
                Action.WORK_ON_CASES,
                covers=("cases:report", "cases:report_*"),
            ),
            Item(
                _("My work"),
                "cases:my_work",
                Action.WORK_ON_CASES,
                covers=(
                    "cases:case",
                    "cases:case_*",
                    "cases:plan_*",
                    "cases:service*",
                    "cases:stock",
                ),
            ),
            Item(
                _("Referrals"), "cases:referrals", Action.WORK_ON_CASES, covers=("cases:referral*",)
            ),
        ),
    ),
    Group(
        "targeting",
        _("Target groups"),
        (
            Item(
                _("Survey rounds and runs"),
                "targeting:index",
                Action.READ_TARGETING,
                covers=(
                    "targeting:import",
                    "targeting:start",
                    "targeting:run_status",
                    "targeting:nation",
                    "targeting:area",
                    "targeting:target_list",
                    "targeting:export",
                    "targeting:household",
                    "targeting:link",
                ),
            ),
            Item(
                _("Year over year"),
                "targeting:compare",
                Action.READ_TARGETING,
                covers=("targeting:compare_*",),
            ),
            Item(_("Measures explained"), "targeting:help", Action.READ_TARGETING),
        ),
    ),
    Group(
        "volunteers",
        # Short in the bar (อพม.): the bar must stay one line at 1280 px with every group.
        pgettext_lazy("menu group", "Volunteers"),
        (
            Item(_("Volunteer app"), "volunteers:offline_app", Action.USE_VOLUNTEER_APP),
            Item(_("My volunteer record"), "volunteers:roster_mine", Action.USE_VOLUNTEER_APP),
            Item(
                _("Volunteers"),
                "volunteers:roster_list",
                Action.READ_VOLUNTEERS,
                covers=("volunteers:roster_*", "volunteers:story_*"),
            ),
            Item(
                _("Assign households"),
                "volunteers:assignments_bulk",
                Action.ASSIGN_HOUSEHOLDS,
                covers=("volunteers:assignments_*",),
            ),
            Item(
                _("Volunteer coverage"), "volunteers:assignments_coverage", Action.READ_VOLUNTEERS
            ),
            Item(
                _("Help requests"),
                "volunteers:visit_help_list",
                Action.VISIT_HOUSEHOLDS,
                covers=("volunteers:visit_*",),
            ),
            Item(
                _("Overdue follow-up visits"),
                "volunteers:development_overdue",
                Action.READ_VOLUNTEERS,
                covers=("volunteers:development_*",),
            ),
            Item(
                _("Project progress"),
                "volunteers:course_progress",
                Action.READ_VOLUNTEERS,
                covers=("volunteers:course_*",),
            ),
            Item(
                _("Offline changes to review"),
                "volunteers:offline_review",
                Action.REVIEW_SYNC_CONFLICTS,
                covers=("volunteers:offline_resolve*",),
            ),
        ),
    ),
    Group(
        "network",
        _("Network"),
        (
            Item(_("Directory"), "orgs:directory"),
            Item(_("Agreements"), "orgs:agreements"),
        ),
    ),
    Group(
        "oversight",
        _("Oversight"),
        (
            Item(_("Audit log"), "access:audit", Action.READ_AUDIT_LOG),
            Item(
                _("Personal data (DPO)"),
                "privacy:home",
                Action.HANDLE_DATA_REQUESTS,
                covers=("privacy:*",),
            ),
        ),
    ),
)


@dataclass
class ShownItem:
    label: Promise
    url: str
    current: bool = False


@dataclass
class ShownGroup:
    key: str
    label: Promise
    items: list[ShownItem] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)


def current_item(view_name: str) -> Item | None:
    """The item a page is under: its own, else the first that covers it."""
    items = [item for group in MENU for item in group.items]
    for item in items:
        if item.url_name == view_name:
            return item
    for item in items:
        if any(fnmatchcase(view_name, pattern) for pattern in item.covers):
            return item
    return None


def menu_for(user, match=None) -> list[ShownGroup]:
    """The groups and items `user` may use, the current page's marked (`match`: the
    request's `resolver_match`, None on a page no route matched)."""
    if not getattr(user, "is_authenticated", False):
        return []
    here = current_item(match.view_name) if match is not None else None
    shown = []
    for group in MENU:
        items = [
            ShownItem(item.label, reverse(item.url_name), current=item is here)
            for item in group.items
            if item.action is None or may(user, item.action)
        ]
        if items:
            shown.append(ShownGroup(group.key, group.label, items))
    return shown
