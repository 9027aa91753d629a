"""The main menu as data (`web/navigation.py`): each role sees only what the role table lets
it use, groups left empty are hidden, and the current page and its group are marked."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver

from onehome.access.models import Role
from onehome.access.roles import may
from onehome.web.navigation import MENU, current_item, menu_for

pytestmark = pytest.mark.django_db


def _view_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def _at(view_name: str):
    return SimpleNamespace(view_name=view_name)


def _urls(menu) -> set[str]:
    return {item.url for group in menu for item in group.items}


def test_every_item_names_a_page_and_every_pattern_covers_one():
    from fnmatch import fnmatchcase

    names = _view_names()
    for group in MENU:
        for item in group.items:
            assert item.url_name in names, item.url_name
            for pattern in item.covers:
                assert any(fnmatchcase(n, pattern) for n in names), pattern


@pytest.mark.parametrize("role", list(Role))
def test_a_role_sees_exactly_the_items_its_actions_allow(make_user, role):
    user = make_user(role)
    shown = _urls(menu_for(user, _at("home")))
    allowed = {
        reverse(item.url_name)
        for group in MENU
        for item in group.items
        if item.action is None or may(user, item.action)
    }
    assert shown == allowed
    assert all(group.items for group in menu_for(user))  # no empty group


def test_the_dpo_gets_the_network_and_oversight_groups_only(make_user):
    menu = menu_for(make_user(Role.DPO), _at("home"))
    assert [g.key for g in menu] == ["network", "oversight"]
    assert _urls(menu) == {
        reverse("orgs:directory"),
        reverse("orgs:agreements"),
        reverse("privacy:home"),
    }


def test_a_volunteer_reports_but_gets_no_case_boards(make_user):
    menu = menu_for(make_user(Role.VOLUNTEER), _at("home"))
    cases = next(g for g in menu if g.key == "cases")
    assert [i.url for i in cases.items] == [reverse("cases:intake")]
    # Volunteers register people in their own villages (issue 16, point 1).
    assert reverse("registry:person_create") in _urls(menu)
    assert "oversight" not in [g.key for g in menu]


def test_an_inactive_or_anonymous_user_gets_no_menu(make_user):
    assert menu_for(AnonymousUser(), _at("home")) == []
    user = make_user(Role.SUPERVISOR, is_active=False)
    assert [g.key for g in menu_for(user, _at("home"))] == ["network"]  # open to everyone


@pytest.mark.parametrize(
    ("view_name", "group", "item"),
    [
        ("cases:my_work", "cases", "cases:my_work"),
        ("cases:case", "cases", "cases:my_work"),
        ("cases:case_refer", "cases", "cases:my_work"),
        ("cases:report", "cases", "cases:dispatch"),
        ("cases:intake_people", "cases", "cases:intake"),
        ("registry:person", "registry", "registry:search"),
        ("registry:person_create", "registry", "registry:person_create"),
        ("registry:household", "registry", "registry:households"),
        ("targeting:area", "targeting", "targeting:index"),
        ("targeting:compare_households", "targeting", "targeting:compare"),
        ("orgs:agreements", "network", "orgs:agreements"),
    ],
)
def test_the_current_page_and_its_group_are_marked(make_user, view_name, group, item):
    user = make_user(Role.SUPERVISOR)
    menu = menu_for(user, _at(view_name))
    current = [g for g in menu if g.current]
    assert [g.key for g in current] == [group]
    marked = [i for g in menu for i in g.items if i.current]
    assert [i.url for i in marked] == [reverse(item)]


def test_a_page_outside_the_menu_marks_nothing(make_user):
    menu = menu_for(make_user(Role.SUPERVISOR), _at("home"))
    assert not any(g.current for g in menu)
    assert current_item("tokens:mine") is None


def test_the_page_shell_draws_the_menu_with_the_current_page(client, make_user):
    user = make_user(Role.SUPERVISOR)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("cases:dispatch")).content.decode()
    assert f'href="{reverse("cases:dispatch")}" aria-current="page"' in html
    assert 'aria-current="true">Hotline and cases</summary>' in html
    assert reverse("access:audit") not in html  # a supervisor reads no audit log
    assert reverse("tokens:mine") in html and 'action="/logout/"' in html
