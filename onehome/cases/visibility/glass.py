"""Break the glass: time-limited access to a sensitive case one is not assigned to.

Someone in the case's area with a case role (a hotline operator taking a second call about
the same child at night, a worker covering for a colleague) may need a sensitive case that
`visibility` hides from them. They state why; they get a grant that expires after
``settings.ONEHOME_GLASS_BREAK_HOURS``; the read is audited with the reason as its purpose;
the timeline shows it to everyone on the case; and the owning agency's supervisors are told,
so every break is looked at by a person. When the grant expires the case is hidden again.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access.audit import record
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action
from onehome.cases.deadlines.calendar import format_when
from onehome.cases.deadlines.escalation import supervisors_of
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import Case, EventKind, GlassBreak
from onehome.cases.visibility.selectors import cases_needing_glass, visible_cases
from onehome.errors import NotInScopeError, ValidationError
from onehome.notifications.services import notify

MIN_REASON = 10


@transaction.atomic
def break_glass(
    *, actor: User, case_id: int, reason: str, now: dt.datetime | None = None
) -> GlassBreak:
    """Grant `actor` access to a sensitive case in their area. Out of area, no case role,
    or no such case → NotInScopeError (404); a case they can already open, or a reason
    shorter than 10 characters → ValidationError."""
    case = _case_behind_glass(actor, case_id)
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise ValidationError(
            _("Say why you need this case (at least %(n)d characters).") % {"n": MIN_REASON},
            code="reason",
        )
    now = now or timezone.now()
    grant = GlassBreak.objects.create(
        case=case,
        user=actor,
        reason=reason[:300],
        granted_at=now,
        expires_at=now + dt.timedelta(hours=settings.ONEHOME_GLASS_BREAK_HOURS),
    )
    record(
        actor=actor,
        action=AuditAction.READ,
        obj=case,
        purpose=_("break the glass: %(reason)s") % {"reason": reason},
        after={"glass_break": grant.pk, "expires_at": grant.expires_at.isoformat()},
    )
    add_event(
        case,
        kind=EventKind.GLASS_BREAK,
        actor=actor,
        text=reason,
        data={"expires_at": grant.expires_at.isoformat()},
    )
    who = actor.get_full_name() or actor.username
    notify(
        users=supervisors_of({case.owner_id}, told_of=Action.RECEIVE_GLASS_NOTICES),
        kind="glass_break",
        title=_("%(who)s broke the glass on case %(number)s") % {"who": who, "number": case.number},
        # The reason may name the people on the case: it stays in the app (timeline, audit).
        body=_("Access ends %(until)s. The reason is on the case timeline.")
        % {"until": format_when(grant.expires_at)},
        case=case,
    )
    return grant


def _case_behind_glass(actor: User, case_id: int) -> Case:
    try:
        return cases_needing_glass(actor).select_for_update(of=("self",)).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        pass
    if visible_cases(actor).filter(pk=case_id).exists():
        raise ValidationError(_("You can already open this case."), code="visible")
    raise NotInScopeError


def active_grant(user: User, case: Case, now: dt.datetime | None = None) -> GlassBreak | None:
    """The user's unexpired grant on the case, if any (for showing "access ends at …")."""
    return (
        GlassBreak.objects.filter(case=case, user=user, expires_at__gt=now or timezone.now())
        .order_by("-expires_at")
        .first()
    )
