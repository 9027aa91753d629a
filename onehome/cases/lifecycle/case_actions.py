"""Which actions a user may take on a case, so the case page shows only the forms that
would succeed. Built from the very predicates and role sets the services check (they
stay the authority: a form shown by mistake is still refused by its service).
"""

from dataclasses import dataclass

from onehome.access.models import User
from onehome.access.roles import Action, may
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
    triage = may(user, Action.ASSIGN_WORKERS) and involved
    owns = user.organisation_id == case.owner_id and may(user, Action.MOVE_CASES)
    return CaseActions(
        work=True,
        assign=triage,
        take_up=may(user, Action.TAKE_UP_CASES) and involved,
        unassign_any=triage,
        transfer=owns or may(user, Action.ANSWER_FOR_AREA_CASES),
        approve=may(user, Action.APPROVE_CASH_AID),
    )
