"""The role table: which roles may do which action. One table, as data.

Every role check in the code asks this module: `may(user, Action.X)` in services,
selectors and views, `roles_for(Action.X)` where the scoping function needs the role set,
`{% if user|may:"x" %}` in templates and the menu. Nothing else names a role to grant
something (`access/tests/test_role_table.py` fails when code does), so this table is the
whole answer to "who may do what"; the area a user may act in is `access.scope`'s part.

An action is a verb a user does, named for the work (`approve_cash_aid`), not for the
role that does it today. Roles may change per action here without touching the code that
asks. The table is also printed in `docs/architecture.md` (a test checks the two agree).
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the User model imports this module for its properties
    from .models import User


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer (อพม.)")
    CENTRE_STAFF = "centre_staff", _("Centre staff")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline 1300 operator")
    SUPERVISOR = "supervisor", _("Supervisor")
    PROVINCIAL_HEAD = "provincial_head", _("Provincial head")
    INSPECTOR = "inspector", _("Inspector")
    ANALYST = "analyst", _("Analyst")
    FUND_OFFICER = "fund_officer", _("Fund officer")
    EVALUATOR = "evaluator", _("Evaluator")
    AUDITOR = "auditor", _("Auditor")
    DPO = "dpo", _("Data protection officer (DPO)")
    ADMIN = "admin", _("Administrator")


class Action(StrEnum):
    # The registry and personal data.
    READ_PERSONAL_DATA = "read_personal_data"
    WRITE_REGISTRY = "write_registry"
    WRITE_REGISTRY_IN_WHOLE_AREA = "write_registry_in_whole_area"
    MERGE_PEOPLE = "merge_people"
    # The geography's villages.
    MANAGE_VILLAGES = "manage_villages"
    # The audit log.
    READ_AUDIT_LOG = "read_audit_log"
    # Intake and triage.
    TAKE_REPORTS = "take_reports"
    TRIAGE_OWN_UNIT_REPORTS = "triage_own_unit_reports"
    TRIAGE_AREA_REPORTS = "triage_area_reports"
    # Cases.
    READ_CASES = "read_cases"
    WORK_ON_CASES = "work_on_cases"
    TAKE_UP_CASES = "take_up_cases"
    BE_ASSIGNED_CASES = "be_assigned_cases"
    ASSIGN_WORKERS = "assign_workers"
    MOVE_CASES = "move_cases"
    WRITE_CASE_NOTES = "write_case_notes"
    DECIDE_CLOSURE = "decide_closure"
    ANSWER_FOR_AREA_CASES = "answer_for_area_cases"
    ANSWER_FOR_AGENCY_CASES = "answer_for_agency_cases"
    APPROVE_CASH_AID = "approve_cash_aid"
    RECEIVE_UNIT_ESCALATIONS = "receive_unit_escalations"
    RECEIVE_PROVINCE_ESCALATIONS = "receive_province_escalations"
    RECEIVE_GLASS_NOTICES = "receive_glass_notices"
    LOWER_SENSITIVITY = "lower_sensitivity"
    # Targeting.
    READ_TARGETING = "read_targeting"
    RUN_TARGETING = "run_targeting"
    IMPORT_SURVEYS = "import_surveys"
    # Signing in.
    SIGN_IN_WITH_SECOND_FACTOR = "sign_in_with_second_factor"
    # Personal data protection (PDPA).
    RECORD_CONSENT = "record_consent"
    HANDLE_DATA_REQUESTS = "handle_data_requests"
    RECORD_BREACHES = "record_breaches"
    # Volunteers and household development (onehome/volunteers).
    READ_VOLUNTEERS = "read_volunteers"
    MANAGE_VOLUNTEERS = "manage_volunteers"
    ASSIGN_HOUSEHOLDS = "assign_households"
    VISIT_HOUSEHOLDS = "visit_households"
    PLAN_HOUSEHOLD_DEVELOPMENT = "plan_household_development"
    MOVE_HOUSEHOLD_COURSE = "move_household_course"
    REVIEW_SYNC_CONFLICTS = "review_sync_conflicts"
    USE_VOLUNTEER_APP = "use_volunteer_app"


R = Role
_PERSONAL_DATA = {
    R.VOLUNTEER,
    R.CENTRE_STAFF,
    R.SOCIAL_WORKER,
    R.HOTLINE_OPERATOR,
    R.SUPERVISOR,
    R.PROVINCIAL_HEAD,
    R.INSPECTOR,
}
# Everyone who reads cases but volunteers (they report; they do not read case files).
_CASE_READERS = _PERSONAL_DATA - {R.VOLUNTEER}
# Everyone who reads cases but inspectors, who only look.
_CASE_WORKERS = _CASE_READERS - {R.INSPECTOR}
_FRONTLINE = {R.SOCIAL_WORKER, R.CENTRE_STAFF}
_SUPERVISORS = {R.SUPERVISOR, R.PROVINCIAL_HEAD}
_MOVERS = _FRONTLINE | _SUPERVISORS
_ANALYSTS = {R.ANALYST, R.ADMIN}

# What each action is for, and who may do it. Read top to bottom as the access model's
# "who" half; `access.scope` is its "where" half.
ROLE_TABLE: Mapping[Action, frozenset[Role]] = {
    # Named people and households; everyone else sees aggregates only.
    Action.READ_PERSONAL_DATA: frozenset(_PERSONAL_DATA),
    # Register and edit people and households: staff anywhere in their area, volunteers
    # in their own villages (with the same duplicate checks).
    Action.WRITE_REGISTRY: frozenset(
        {R.CENTRE_STAFF, R.SOCIAL_WORKER, R.HOTLINE_OPERATOR, R.SUPERVISOR, R.VOLUNTEER}
    ),
    # Write the registry anywhere in their area. A registry writer without this writes
    # only in the villages of their own working volunteer record (`registry.services`).
    Action.WRITE_REGISTRY_IN_WHOLE_AREA: frozenset(
        {R.CENTRE_STAFF, R.SOCIAL_WORKER, R.HOTLINE_OPERATOR, R.SUPERVISOR}
    ),
    # Merge two records of one person, and undo a merge.
    Action.MERGE_PEOPLE: frozenset(_SUPERVISORS),
    # Create and edit the villages (หมู่บ้าน) of their area's sub-districts: the staff who
    # work there and know them (frontline and supervisors). Not volunteers or hotline
    # operators, who name a village but do not keep the list; not analysts, auditors or
    # admins, who hold no area's fieldwork; villages from imports and the demo are loaded.
    Action.MANAGE_VILLAGES: frozenset(_MOVERS),
    # Read the audit log of their area.
    Action.READ_AUDIT_LOG: frozenset({R.AUDITOR, R.ADMIN}),
    # Confirm a code from an authenticator app after the password (TOTP): administrators,
    # who can change anyone's roles, and the data protection officer, who can export all
    # that is held about a person. Staff accounts and users whose area is a region or the
    # nation need it too, whatever their role (`access.signin.second_factor`).
    Action.SIGN_IN_WITH_SECOND_FACTOR: frozenset({R.ADMIN, R.DPO}),
    # Take a report from any channel (hotline, walk-in, a volunteer's visit).
    Action.TAKE_REPORTS: frozenset(_CASE_WORKERS | {R.VOLUNTEER}),
    # Triage the reports routed to their own unit.
    Action.TRIAGE_OWN_UNIT_REPORTS: frozenset(_MOVERS),
    # Triage any report of their area, routed anywhere or nowhere.
    Action.TRIAGE_AREA_REPORTS: frozenset(_SUPERVISORS),
    # Read cases (and reports) of their area.
    Action.READ_CASES: frozenset(_CASE_READERS),
    # Work on cases: assessments, plans, referrals, services.
    Action.WORK_ON_CASES: frozenset(_CASE_WORKERS),
    # Take a case up themselves (accepting its report assigns them as lead).
    Action.TAKE_UP_CASES: frozenset(_FRONTLINE),
    # Be assigned to a case as a worker.
    Action.BE_ASSIGNED_CASES: frozenset(_FRONTLINE | {R.SUPERVISOR}),
    # Assign and remove other workers.
    Action.ASSIGN_WORKERS: frozenset(_SUPERVISORS),
    # Move a case along its lifecycle (accept, refer, request closure, reopen…).
    Action.MOVE_CASES: frozenset(_MOVERS),
    # Write notes on a case's timeline.
    Action.WRITE_CASE_NOTES: frozenset(_MOVERS | {R.HOTLINE_OPERATOR}),
    # Approve or refuse a closure request.
    Action.DECIDE_CLOSURE: frozenset(_SUPERVISORS),
    # Answer for every case of their area, involved or not (and transfer any of them).
    Action.ANSWER_FOR_AREA_CASES: frozenset({R.PROVINCIAL_HEAD}),
    # Answer for the cases their agency owns or a colleague works on (sensitive ones too).
    Action.ANSWER_FOR_AGENCY_CASES: frozenset({R.SUPERVISOR}),
    # Decide on cash aid above the ceiling (never their own request).
    Action.APPROVE_CASH_AID: frozenset(_SUPERVISORS),
    # Be told when a case of their unit passes its deadline.
    Action.RECEIVE_UNIT_ESCALATIONS: frozenset({R.SUPERVISOR}),
    # Be told when a case of their province is far past its deadline.
    Action.RECEIVE_PROVINCE_ESCALATIONS: frozenset({R.PROVINCIAL_HEAD}),
    # Be told when someone breaks the glass on a case their agency owns.
    Action.RECEIVE_GLASS_NOTICES: frozenset({R.SUPERVISOR}),
    # Decide that a sensitive case is no longer sensitive (with a reason, on its timeline).
    Action.LOWER_SENSITIVITY: frozenset(_SUPERVISORS),
    # Read targeting results (aggregates; households for personal-data roles).
    Action.READ_TARGETING: frozenset(_ANALYSTS | _PERSONAL_DATA),
    # Start targeting runs.
    Action.RUN_TARGETING: frozenset(_ANALYSTS),
    # Import survey rounds and welfare-card lists.
    Action.IMPORT_SURVEYS: frozenset(_ANALYSTS),
    # Record a person's consent (purpose, lawful basis, given or withdrawn, by whom) — the
    # staff who work with them, and the DPO who answers their requests.
    Action.RECORD_CONSENT: frozenset(_CASE_WORKERS | {R.DPO}),
    # Keep the register of data-subject requests (access, rectification, objection,
    # erasure), export what is held about a person, and see the retention schedule.
    Action.HANDLE_DATA_REQUESTS: frozenset({R.DPO}),
    # Keep the register of personal-data breaches and their 72-hour notices.
    Action.RECORD_BREACHES: frozenset({R.DPO}),
    # Read the volunteer records of their area, the households' development work and
    # its progress (a volunteer reads their own record and households, not the roster).
    Action.READ_VOLUNTEERS: frozenset(_CASE_READERS),
    # Keep the volunteer records of their area (status, term, trainings, awards): the
    # centre's staff and the provincial office.
    Action.MANAGE_VOLUNTEERS: frozenset({R.CENTRE_STAFF, R.SUPERVISOR, R.PROVINCIAL_HEAD}),
    # Give households to volunteers (from a target list, a case, or one by one).
    Action.ASSIGN_HOUSEHOLDS: frozenset(_MOVERS),
    # Record a home visit and the family record book's answers, and ask for help from it.
    Action.VISIT_HOUSEHOLDS: frozenset(_FRONTLINE | {R.VOLUNTEER}),
    # Agree a household development plan with the family and keep its goals.
    Action.PLAN_HOUSEHOLD_DEVELOPMENT: frozenset(_MOVERS | {R.VOLUNTEER}),
    # Enrol a household in the project, graduate it or record that it left.
    Action.MOVE_HOUSEHOLD_COURSE: frozenset(_MOVERS),
    # Settle a field changed both on a phone offline and on the server meanwhile.
    Action.REVIEW_SYNC_CONFLICTS: frozenset({R.CENTRE_STAFF, R.SUPERVISOR}),
    # Restore the volunteer's package to the phone and sync what was made offline.
    Action.USE_VOLUNTEER_APP: frozenset({R.VOLUNTEER}),
}


def roles_for(action: Action | str) -> frozenset[Role]:
    """The roles that may do ``action`` (for the scoping function's ``roles``)."""
    return ROLE_TABLE[Action(action)]


def holds_role_for(user: "User", action: Action | str) -> bool:
    """Whether the user holds a role that may do ``action``, active or not (for choosing
    whom to tell or assign among users read from the database)."""
    granted = roles_for(action)
    return any(role in granted for role in getattr(user, "roles", ()) or ())


def holds_only_roles_for(user: "User", action: Action | str) -> bool:
    """Whether the user holds roles and every one of them may do ``action`` (a volunteer's
    own login holds nothing but the volunteer app's roles, so it may be closed with their
    record without taking anything else away)."""
    held = set(getattr(user, "roles", ()) or ())
    return bool(held) and held <= roles_for(action)


def may(user: "User", action: Action | str) -> bool:
    """Whether the user, signed in and active, holds a role that may do ``action``.
    Whether the record is in their area is a separate question (`access.scope`)."""
    return bool(getattr(user, "is_active", False)) and holds_role_for(user, action)


def actions_of(roles: Iterable[str]) -> list[Action]:
    """Every action the roles grant (for the role-table page and tests)."""
    held = set(roles)
    return [action for action, granted in ROLE_TABLE.items() if held & granted]


def role_labels(user: "User") -> list[str]:
    """The names of the user's roles, in their language (for showing, never for deciding)."""
    return [str(Role(r).label) for r in getattr(user, "roles", ()) or () if r in Role.values]
