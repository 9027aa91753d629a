"""The role table is the one answer to "who may do what".

The matrix below is generated from the table: every role × every action. A probe asks the
code that enforces the action (a workflow's steps, a service's check, a selector, the
scoping function) with a user holding that one role, so a check that drifts from the table
fails here; the few actions only answerable with a database (who is told of escalations,
who answers for an area's cases) are asked through the template filter and are covered by
their apps' tests. And a scan of the source fails when code names a role to grant
something outside the table.
"""

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from onehome.access.models import Role, User
from onehome.access.roles import ROLE_TABLE, Action, actions_of, holds_role_for, may, roles_for

ONEHOME = Path(__file__).resolve().parents[2]


def user_with(role: str, **extra) -> User:
    return User(username=f"u-{role}", roles=[role], is_active=True, **extra)


# --- the table itself -------------------------------------------------------------------


def test_every_action_has_a_row_and_every_row_names_known_roles():
    assert set(ROLE_TABLE) == set(Action)
    for action, roles in ROLE_TABLE.items():
        assert roles, f"{action} is granted to no role"
        assert roles <= set(Role), f"{action} names an unknown role"


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_may_answers_the_table(role, action):
    user = user_with(role)
    assert may(user, action) is (role in ROLE_TABLE[action])
    assert (action in actions_of([role])) is (role in ROLE_TABLE[action])


def test_an_inactive_user_may_do_nothing_but_still_holds_the_role_for_being_told():
    user = user_with(Role.SUPERVISOR)
    user.is_active = False
    assert not any(may(user, action) for action in Action)
    assert holds_role_for(user, Action.RECEIVE_UNIT_ESCALATIONS)


def test_an_anonymous_user_may_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not any(may(AnonymousUser(), action) for action in Action)


def test_roles_for_takes_the_action_or_its_name():
    assert roles_for("approve_cash_aid") == roles_for(Action.APPROVE_CASH_AID)
    with pytest.raises(ValueError):
        roles_for("fly")


# --- the code asks the table: one probe per action ----------------------------------------
# A probe answers, from the code that enforces the action, whether `user` may do it. Each
# is called for every role; the answer must be the table's.


def _template_may(user: User, action: Action) -> bool:
    from django.template import Context, Template

    html = Template('{% load access %}{% if u|may:"' + action + '" %}yes{% endif %}').render(
        Context({"u": user})
    )
    return html == "yes"


def _reads_audit(u: User) -> bool:
    from onehome.access.selectors import can_read_audit

    return can_read_audit(u)


def _reads_targeting(u: User) -> bool:
    from onehome.targeting.permissions import reads_targeting

    return reads_targeting(u)


def _works_on_cases(u: User) -> bool:
    from onehome.cases.visibility.selectors import can_work_on

    return can_work_on(u)


def _scope_reads(action: Action) -> Callable[[User], bool]:
    """The scoping function lets the user read this kind of record in their area."""

    def probe(u: User) -> bool:
        from onehome.access.scope import area_scope

        u.scope_level, u.scope_code = "province", "57"
        return area_scope(u, action) is not None

    return probe


def _offered(model_name: str, status: str, **fields) -> Callable[[User], bool]:
    """The record's workflow offers the user a step from ``status`` (buttons and services
    ask the same `moves_by_role`)."""

    def probe(u: User) -> bool:
        from onehome.cases import models
        from onehome.cases.workflows import WORKFLOWS

        model = getattr(models, model_name)
        return bool(WORKFLOWS[model].moves_by_role(model(status=status, **fields), u))

    return probe


def _triages_unrouted_reports(u: User) -> bool:
    from onehome.cases.intake.triage import REPORTS
    from onehome.cases.models import Report

    report = Report(status="waiting", routed_to_id=None)
    return any(REPORTS.may(u, report, move.step) for move in REPORTS.moves_by_role(report, u))


def _takes_reports(u: User) -> bool:
    from onehome.cases.intake import services
    from onehome.errors import NotInScopeError

    u.scope_level = "nation"
    try:  # the intake service's own check, before it writes anything
        services.check_reporter(u, "hotline", type("Sub", (), {"code": "570101"})())
    except NotInScopeError:
        return False
    return True


def _imports_surveys(u: User) -> bool:
    from django.core.exceptions import PermissionDenied

    from onehome.targeting.imports.survey_rounds import check_actor

    try:
        check_actor(u)
    except PermissionDenied:
        return False
    return True


def _keeps_villages(u: User) -> bool:
    from onehome.errors import NotInScopeError
    from onehome.geo.services import check_village_keeper

    u.scope_level = "nation"
    try:  # the village service's own check, before it writes anything
        check_village_keeper(u, subdistrict_code="570101")
    except NotInScopeError:
        return False
    return True


def _runs_targeting(u: User) -> bool:
    from onehome.targeting.permissions import runs_targeting

    return runs_targeting(u)


def _needs_second_factor(u: User) -> bool:
    from onehome.access.signin.second_factor import needs_second_factor

    u.scope_level, u.scope_code = "province", "57"  # not a wide scope: the role decides
    return needs_second_factor(u)


# Each probe asks the code that enforces the action (imports inside: they load apps).
PROBES: dict[Action, Callable[[User], bool]] = {
    Action.MOVE_CASES: _offered("Case", "waiting"),
    Action.DECIDE_CLOSURE: _offered("Case", "closure_requested", status_before_closure="assessing"),
    Action.APPROVE_CASH_AID: _offered("Service", "awaiting_approval", requested_by_id=-1),
    Action.TRIAGE_OWN_UNIT_REPORTS: _offered("Report", "waiting"),
    Action.TRIAGE_AREA_REPORTS: _triages_unrouted_reports,
    Action.TAKE_REPORTS: _takes_reports,
    Action.IMPORT_SURVEYS: _imports_surveys,
    Action.RUN_TARGETING: _runs_targeting,
    Action.READ_PERSONAL_DATA: lambda u: (
        u.reads_personal_data and _scope_reads(Action.READ_PERSONAL_DATA)(u)
    ),
    Action.WRITE_REGISTRY: lambda u: u.writes_registry,
    Action.MERGE_PEOPLE: lambda u: u.merges_people,
    Action.MANAGE_VILLAGES: _keeps_villages,
    Action.READ_AUDIT_LOG: _reads_audit,
    Action.READ_CASES: _scope_reads(Action.READ_CASES),
    Action.WORK_ON_CASES: _works_on_cases,
    Action.READ_TARGETING: _reads_targeting,
    Action.SIGN_IN_WITH_SECOND_FACTOR: _needs_second_factor,
}


def _probe(action: Action) -> Callable[[User], bool]:
    probe = PROBES.get(action)
    if probe is None:
        return lambda u: _template_may(u, action)
    return probe


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_the_code_that_enforces_an_action_agrees_with_the_table(role, action):
    assert _probe(action)(user_with(role)) is (role in ROLE_TABLE[action])


# --- nothing checks a role outside the table ---------------------------------------------

# Where naming a role is the point: the role's definition, the table, the demo's and the
# tests' users, and the admin's choice of roles.
ALLOWED = {
    "access/models.py",
    "access/roles.py",
}
ALLOWED_DIRS = ("demo/", "migrations/", "tests/")
ROLE_NAMES = {r.value for r in Role}


def _python_sources():
    for path in sorted(ONEHOME.rglob("*.py")):
        rel = path.relative_to(ONEHOME).as_posix()
        if rel in ALLOWED or any(f"/{d}" in f"/{rel}" for d in ALLOWED_DIRS):
            continue
        if rel == "conftest.py" or rel.endswith("/conftest.py"):
            continue
        yield rel, path


def role_checks_outside_the_table(source: str) -> list[str]:
    """What in ``source`` checks a role itself: `has_role(...)`, a `Role.X` member, a role
    name compared as a string, or reading `.roles`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "Role":
                found.append(f"line {node.lineno}: Role.{node.attr}")
            elif node.attr in ("has_role", "roles"):
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Compare):
            # A role's name compared with something ("supervisor" in roles, == "admin").
            for side in (node.left, *node.comparators):
                if isinstance(side, ast.Constant) and side.value in ROLE_NAMES:
                    found.append(f"line {node.lineno}: {side.value!r}")
    return found


def test_the_scan_finds_a_role_checked_outside_the_table():
    assert sorted(role_checks_outside_the_table("ok = user.has_role(Role.SUPERVISOR)")) == [
        "line 1: .has_role",
        "line 1: Role.SUPERVISOR",
    ]
    assert role_checks_outside_the_table("ok = 'auditor' in user.roles")
    assert role_checks_outside_the_table("ok = role == 'auditor'") == ["line 1: 'auditor'"]
    assert role_checks_outside_the_table("ok = may(user, Action.READ_CASES)") == []


def test_no_code_checks_a_role_outside_the_table():
    offenders = {}
    for rel, path in _python_sources():
        found = role_checks_outside_the_table(path.read_text(encoding="utf-8"))
        if found:
            offenders[rel] = found
    assert offenders == {}, "ask access.roles.may() instead: " + repr(offenders)


# A role's name as a whole quoted string ('supervisor', "admin"): how a template compares
# a role. A text that only ends in one ("A volunteer's households") is not a check.
TEMPLATE_ROLE_CHECK = re.compile(r"\.roles\b|has_role|['\"](" + "|".join(ROLE_NAMES) + r")['\"]")


def test_the_template_scan_finds_a_role_compared_but_not_a_text():
    assert TEMPLATE_ROLE_CHECK.search("{% if 'supervisor' in user.roles %}")
    assert TEMPLATE_ROLE_CHECK.search('{% if role == "admin" %}')
    assert TEMPLATE_ROLE_CHECK.search("{% if user.role == 'volunteer' %}")
    assert not TEMPLATE_ROLE_CHECK.search('{% translate "A volunteer\'s households" %}')
    assert not TEMPLATE_ROLE_CHECK.search('{% translate "Assign to a volunteer" %}')


def test_no_template_checks_a_role_itself():
    offenders = []
    for path in sorted(ONEHOME.rglob("templates/**/*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_ROLE_CHECK.search(line):
                offenders.append(f"{path.relative_to(ONEHOME)}:{n}: {line.strip()}")
    assert offenders == [], "use {% if user|may:'action' %}: " + repr(offenders)


def test_the_table_in_the_architecture_doc_is_the_table_in_the_code():
    doc = (ONEHOME.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \| ((?:`[a-z_]+`(?:, )?)+) \|$", doc, re.MULTILINE)
    printed = {action: set(re.findall(r"`([a-z_]+)`", roles)) for action, roles in rows}
    assert printed == {str(a): {str(r) for r in roles} for a, roles in ROLE_TABLE.items()}
