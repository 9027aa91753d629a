"""Which actions a user may take on a case, so the case page shows only the forms that
would succeed. Built from the very predicates and role sets the services check (they
stay the authority: a form shown by mistake is still refused by its service).
"""

from dataclasses import dataclass

from onehome.access.models import Role, User
from onehome.cases.assistance.services import APPROVER_ROLES
from onehome.cases.intake.triage import AREA_TRIAGE_ROLES, FRONTLINE_ROLES
from onehome.cases.lifecycle import transitions
from onehome.cases.lifecycle.transitions import is_involved
from onehome.cases.models import Case, CaseStatus
from onehome.cases.visibility.selectors import can_work_on


@dataclass(frozen=True)
class CaseActions:
    work: bool = False  # assessments, plan goals, services, pause/resume (case_to_work_on)
    assign: bool = False  # assign others (supervisors, provincial heads)
    take_up: bool = False  # assign oneself (frontline workers)
    unassign_any: bool = False
    transfer: bool = False
    approve: bool = False


def case_actions(user: User, case: Case) -> CaseActions:
    if not can_work_on(user) or case.status == CaseStatus.CLOSED:
        return CaseActions()
    involved = is_involved(user, case)
    triage = user.has_role(*AREA_TRIAGE_ROLES) and involved
    owns = user.organisation_id == case.owner_id and user.has_role(*transitions.WORKERS)
    return CaseActions(
        work=True,
        assign=triage,
        take_up=user.has_role(*FRONTLINE_ROLES) and involved,
        unassign_any=triage,
        transfer=owns or user.has_role(Role.PROVINCIAL_HEAD),
        approve=user.has_role(*APPROVER_ROLES),
    )
