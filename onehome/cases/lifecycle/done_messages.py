"""What the case page says after an action succeeded: each message names what was done and
to which case ("Case C… referred to …", "Closure of C… sent to a supervisor…"), never a
bare "Saved." The views pick the message; the services stay silent."""

from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.cases.lifecycle.transitions import TRANSITIONS, status_label
from onehome.cases.models import Case


def moved(case: Case, from_status: str, to_status: str) -> str:
    """A status button's answer: the step taken and where the case now stands."""
    step = TRANSITIONS.get((from_status, to_status))
    names = {"number": case.number, "status": status_label(to_status)}
    if step is None:
        return _("Case %(number)s is now “%(status)s”.") % names
    return _("%(action)s: case %(number)s is now “%(status)s”.") % {**names, "action": step.label}


def referred(case: Case, org_name: str, status_before: str, status_now: str) -> str:
    """Sending a referral: to whom, and the case's status when the referral moved it."""
    names = {"number": case.number, "org": org_name, "status": status_label(status_now)}
    if status_now != status_before:
        return (
            _("Referral sent: case %(number)s referred to %(org)s; it is now “%(status)s”.") % names
        )
    return _("Referral sent: case %(number)s to %(org)s (the case stays “%(status)s”).") % names


def closure(case: Case, done: str) -> str:
    """The close action's answer (`services.close_case`: approved, closed or requested)."""
    names = {"number": case.number, "org": case.owner.name_th if case.owner_id else "–"}
    if done == "requested":
        return (
            _("Closure of case %(number)s requested: sent to a supervisor of %(org)s for approval.")
            % names
        )
    if done == "approved":
        return _("Closure of case %(number)s approved: the case is closed.") % names
    return _("Case %(number)s closed.") % names


def _worker_name(user) -> str:
    return user.get_full_name() or user.username


def assigned(case: Case):
    def done(d: dict, _result) -> str:
        return _("%(name)s now works on case %(number)s.") % {
            "name": _worker_name(d["user"]),
            "number": case.number,
        }

    return done


def unassigned(case: Case):
    def done(d: dict, _result) -> str:
        user = User.objects.filter(pk=d["user"]).first()
        return _("%(name)s no longer works on case %(number)s.") % {
            "name": _worker_name(user) if user else "–",
            "number": case.number,
        }

    return done


def transferred(case: Case):
    def done(d: dict, _result) -> str:
        return _("Case %(number)s transferred to %(org)s.") % {
            "number": case.number,
            "org": d["to_org"].name_th,
        }

    return done
