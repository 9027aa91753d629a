"""A volunteer's statuses on the shared state machine: candidate → trained → appointed →
active ⇄ resting, and any → left (with a reason). Appointing needs the appointment date and
the end of the term. Leaving closes the volunteer's own login (deactivated, still tied to
the record for its history) and nothing else: households still assigned to them stay
assigned until staff reassign them, and `leave_consequences` says what happened."""

import datetime as dt
from dataclasses import dataclass
from typing import NoReturn

from django.dispatch import Signal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access.models import User
from onehome.access.roles import Action, holds_only_roles_for
from onehome.core.state_machine import Step, Workflow
from onehome.errors import ValidationError
from onehome.volunteers.models import Volunteer, VolunteerStatus
from onehome.volunteers.roster.services import check_term, locked_for_write

S = VolunteerStatus
MANAGE = Action.MANAGE_VOLUNTEERS
_LEAVE = Step("leave", gettext_lazy("Left the programme"), MANAGE, reason_required=True)
VOLUNTEER_STEPS = {
    (S.CANDIDATE, S.TRAINED): Step("train", gettext_lazy("Trained"), MANAGE),
    (S.TRAINED, S.APPOINTED): Step("appoint", gettext_lazy("Appoint"), MANAGE),
    (S.APPOINTED, S.ACTIVE): Step("activate", gettext_lazy("Start working"), MANAGE),
    (S.ACTIVE, S.RESTING): Step("rest", gettext_lazy("Rest"), MANAGE),
    (S.RESTING, S.ACTIVE): Step("resume", gettext_lazy("Back to work"), MANAGE),
    **{(status, S.LEFT): _LEAVE for status in S.values if status != S.LEFT},
}
volunteer_moved = Signal()


class VolunteerWorkflow(Workflow[Volunteer]):
    """A volunteer's statuses (see the module docstring)."""

    model = Volunteer
    steps = VOLUNTEER_STEPS
    moved = volunteer_moved
    audited_fields = ["status", "version", "appointed_on", "term_ends_on"]

    def lock(self, actor: User, pk: int) -> Volunteer:
        return locked_for_write(actor, pk)

    def ask_reason(self, obj: Volunteer, to_status: str) -> NoReturn:
        raise ValidationError(_("Give the reason the volunteer leaves."), code="reason")

    def apply(self, obj: Volunteer, *, from_status: str, to_status: str) -> list[str]:
        if to_status == S.APPOINTED:
            if not obj.appointed_on or not obj.term_ends_on:
                raise ValidationError(
                    _("Enter the appointment date and the end of the term to appoint."),
                    code="appointed_on",
                )
            check_term(obj.appointed_on, obj.term_ends_on)
        login = obj.user if obj.user_id else None
        if (
            to_status == S.LEFT
            and login is not None
            and login.is_active
            and holds_only_roles_for(login, Action.USE_VOLUNTEER_APP)
        ):
            login.is_active = False
            login.save(update_fields=["is_active"])
        return []

    def audit_subject(self, obj):
        return {"person_id": obj.person_id}


VOLUNTEERS = VolunteerWorkflow()


def move_volunteer(
    *,
    actor: User,
    volunteer_id: int,
    to_status: str,
    version: int | None,
    reason: str = "",
    appointed_on: dt.date | None = None,
    term_ends_on: dt.date | None = None,
) -> Volunteer:
    """One step of a volunteer's statuses; appointing may give the appointment date and
    the end of the term with it."""
    changes = {}
    if to_status == S.APPOINTED:
        changes = {
            k: v
            for k, v in (("appointed_on", appointed_on), ("term_ends_on", term_ends_on))
            if v is not None
        }
    return VOLUNTEERS.transition(
        actor=actor,
        pk=volunteer_id,
        to_status=to_status,
        version=version,
        reason=reason,
        changes=changes,
    )


@dataclass(frozen=True)
class LeaveConsequences:
    """What leaving did and did not do, for the message shown after the step."""

    login_closed: str  # the username deactivated, or ""
    login_kept: str  # a login with other roles, left as it was, or ""
    households_assigned: int  # still assigned to them: staff reassign them


def leave_consequences(volunteer: Volunteer) -> LeaveConsequences:
    login = volunteer.user
    closed = login.username if login and not login.is_active else ""
    kept = login.username if login and login.is_active else ""
    return LeaveConsequences(
        login_closed=closed,
        login_kept=kept,
        households_assigned=volunteer.assignments.filter(ended_at__isnull=True).count(),
    )
