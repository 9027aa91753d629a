"""Lowering a case's sensitivity: a supervisor's recorded decision.

A case is sensitive when a report on it was (`intake.catalogue.is_sensitive`, stored on the
report at intake and inherited by the case at triage), and nothing recomputes it away: a
sensitive case and its reports stay under the sensitive-case rule until someone who answers
for it decides otherwise. That someone holds the role table's `LOWER_SENSITIVITY`, can open
the case without the glass being the reason they are on it (their agency works on it, or
they answer for the area), states why, and the decision is on the case's timeline and in
the audit log, with the reason.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.lifecycle.transitions import is_involved
from onehome.cases.models import Case, EventKind
from onehome.cases.visibility.selectors import get_visible_case
from onehome.core.state_machine import check_version
from onehome.errors import ValidationError

MIN_REASON = 10
FIELDS = ["sensitive", "version"]


def may_lower_sensitivity(user: User, case: Case) -> bool:
    """Whether the case page offers `user` the form (the service decides again)."""
    return case.sensitive and may(user, Action.LOWER_SENSITIVITY) and is_involved(user, case)


@transaction.atomic
def lower_sensitivity(*, actor: User, case_id: int, reason: str, version: int | None) -> Case:
    """Make a sensitive case ordinary. A case the actor may not open → NotInScopeError
    (404); a role without `LOWER_SENSITIVITY`, an agency that does not work on the case, a
    case that is not sensitive, or a reason shorter than 10 characters → ValidationError;
    an old version → StaleVersionError. The case's reports follow it
    (`intake.selectors.visible_reports`)."""
    case = get_visible_case(actor, case_id, for_update=True)
    if not may(actor, Action.LOWER_SENSITIVITY) or not is_involved(actor, case):
        raise ValidationError(
            _("Only a supervisor who answers for this case may lower its sensitivity."),
            code="not_allowed",
        )
    check_version(case, version)
    if not case.sensitive:
        raise ValidationError(_("The case is not sensitive."), code="sensitive")
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise ValidationError(
            _("Say why the case is no longer sensitive (at least %(n)d characters).")
            % {"n": MIN_REASON},
            code="reason",
        )
    before = audit.snapshot(case, FIELDS)
    case.sensitive = False
    case.version += 1
    case.save(update_fields=FIELDS)
    add_event(case, kind=EventKind.SENSITIVITY_LOWERED, actor=actor, text=reason)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        before=before,
        after=audit.snapshot(case, FIELDS),
        purpose=f"lower sensitivity: {reason}",
    )
    return case
