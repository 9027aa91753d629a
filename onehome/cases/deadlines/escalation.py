"""The escalation ladder: worker → supervisor → provincial head.

A case's current step belongs to its assigned workers (level 0). When the step is overdue
(past due, open, not paused) the case goes up one rung per run of `escalate()`:

* level 1, as soon as it is overdue: the supervisors of the owning agency and of the
  assigned workers' agencies are notified (and the workers get a reminder);
* level 2, once it is overdue by ``ONEHOME_ESCALATION_AFTER_HOURS[2]`` more hours
  (24 by default): the provincial heads whose area covers the case's province.

Each rung is taken once: a conditional UPDATE (``WHERE escalation_level = <old>``) lets
exactly one of two concurrent runs win, and only the winner writes the timeline event and
the notices. `sla.set_step_deadline` puts a case back on level 0 when a new step starts.

A report still waiting for triage after its first-contact deadline is escalated once, to
the supervisors of the unit it was routed to. Where there is no one to tell (no unit, or a
unit without a supervisor on the system) the province's provincial heads are told. Reports
carry no level column, so the audit log row written with the notice is the marker; the
report row is locked (``skip_locked``; SQLite's IMMEDIATE transactions serialise instead)
while it is checked, so two runs cannot both notify.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access.audit import record
from onehome.access.models import AuditAction, AuditEvent, ScopeLevel, User
from onehome.access.roles import Action, holds_role_for
from onehome.cases.deadlines.calendar import format_when
from onehome.cases.deadlines.sla import overdue_q, report_overdue_q
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import Case, CaseWorker, EventKind, Report
from onehome.geo.models import Subdistrict
from onehome.notifications.services import notify

SUPERVISOR_LEVEL = 1
PROVINCIAL_HEAD_LEVEL = 2
TOP_LEVEL = PROVINCIAL_HEAD_LEVEL
DEFAULT_AFTER_HOURS = {SUPERVISOR_LEVEL: 0, PROVINCIAL_HEAD_LEVEL: 24}
REPORT_ESCALATED = "sla escalation: report overdue"
BATCH = 500


def hours_after_due(level: int) -> dt.timedelta:
    table = getattr(settings, "ONEHOME_ESCALATION_AFTER_HOURS", DEFAULT_AFTER_HOURS)
    return dt.timedelta(hours=table[level])


def cases_due_for_escalation(now: dt.datetime) -> QuerySet[Case]:
    """Overdue cases whose next rung has come (not scoped: the ladder is system work)."""
    rung = Q()
    for level in range(SUPERVISOR_LEVEL, TOP_LEVEL + 1):
        rung |= Q(escalation_level=level - 1, due_at__lt=now - hours_after_due(level))
    return Case.objects.filter(overdue_q(now)).filter(rung)


def reports_due_for_escalation(now: dt.datetime) -> QuerySet[Report]:
    marker = AuditEvent.objects.filter(
        object_type=Report._meta.label_lower,
        object_id=Cast(OuterRef("pk"), CharField()),
        purpose=REPORT_ESCALATED,
    )
    return Report.objects.filter(report_overdue_q(now)).exclude(Exists(marker))


def escalate(now: dt.datetime | None = None, *, batch: int = BATCH) -> dict[str, int]:
    """One run of the ladder: every case and report whose next rung has come goes up one.
    Returns how many moved. Safe to run from several workers at once."""
    now = now or timezone.now()
    cases = cases_due_for_escalation(now).order_by("due_at").values_list("pk", "escalation_level")
    done = {"cases": 0, "reports": 0}
    for case_id, level in cases[:batch]:
        done["cases"] += escalate_case(case_id, from_level=level, now=now)
    reports = reports_due_for_escalation(now).order_by("due_at").values_list("pk", flat=True)
    for report_id in reports[:batch]:
        done["reports"] += escalate_report(report_id, now=now)
    return done


@transaction.atomic
def escalate_case(case_id: int, *, from_level: int, now: dt.datetime) -> bool:
    """Raise one case from `from_level` by one rung; False when another run already did,
    or the case is no longer overdue (acted on, paused or closed meanwhile)."""
    level = from_level + 1
    won = (
        Case.objects.filter(overdue_q(now), pk=case_id, escalation_level=from_level)
        .filter(due_at__lt=now - hours_after_due(level))
        .update(escalation_level=level)
    )
    if not won:
        return False
    case = Case.objects.select_related("subdistrict__province").get(pk=case_id)
    if level == SUPERVISOR_LEVEL:
        workers = list(User.objects.filter(pk__in=_worker_ids(case)))
        org_ids = {case.owner_id} | {w.organisation_id for w in workers if w.organisation_id}
        # An agency without a supervisor on the system must not swallow the escalation.
        supervisors = supervisors_of(org_ids) or provincial_heads_for(case.subdistrict)
        recipients = supervisors + workers
        title = _("Case %(number)s is overdue: escalated to supervisors") % {"number": case.number}
    else:
        recipients = provincial_heads_for(case.subdistrict)
        title = _("Case %(number)s is still overdue: escalated to the provincial head") % {
            "number": case.number
        }
    body = _("It was due %(due)s. Open the case and act, or record why it waits.") % {
        "due": format_when(case.due_at)
    }
    sent = notify(users=recipients, kind="escalation", title=title, body=body, case=case)
    add_event(
        case,
        kind=EventKind.ESCALATION,
        actor=None,
        text=title,
        data={
            "level": level,
            "due_at": case.due_at.isoformat(),
            "notified": [n.user_id for n in sent],
        },
    )
    record(
        actor=None,
        action=AuditAction.UPDATE,
        obj=case,
        before={"escalation_level": from_level},
        after={"escalation_level": level},
        purpose="sla escalation",
    )
    return True


@transaction.atomic
def escalate_report(report_id: int, *, now: dt.datetime) -> bool:
    """Tell the responsible unit's supervisors that a report still waits for triage."""
    report = (
        reports_due_for_escalation(now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("subdistrict__province")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return False
    recipients = supervisors_of({report.routed_to_id}) if report.routed_to_id else []
    recipients = recipients or provincial_heads_for(report.subdistrict)
    title = _("Report %(reference)s waits for triage past its deadline") % {
        "reference": report.reference
    }
    body = _("First contact was due %(due)s. Accept it into a case, merge or close it.") % {
        "due": format_when(report.due_at)
    }
    sent = notify(users=recipients, kind="report_overdue", title=title, body=body)
    record(
        actor=None,
        action=AuditAction.UPDATE,
        obj=report,
        after={"escalation_level": SUPERVISOR_LEVEL, "notified": [n.user_id for n in sent]},
        purpose=REPORT_ESCALATED,
    )
    return True


# --- who is told -------------------------------------------------------------------------


def _worker_ids(case: Case) -> QuerySet:
    return CaseWorker.objects.filter(case=case).values("user_id")


def supervisors_of(
    org_ids: set[int], told_of: Action = Action.RECEIVE_UNIT_ESCALATIONS
) -> list[User]:
    """Active staff of the given agencies whose role is told of ``told_of`` (escalations by
    default). Roles are a JSON list, read in Python: an agency has tens of staff, and
    SQLite has no JSON containment lookup."""
    staff = User.objects.filter(organisation_id__in=org_ids, is_active=True).order_by("pk")
    return [u for u in staff if holds_role_for(u, told_of)]


def provincial_heads_for(subdistrict: Subdistrict) -> list[User]:
    """Active provincial heads whose area scope covers the sub-district's province."""
    covers = (
        Q(scope_level=ScopeLevel.NATION)
        | Q(scope_level=ScopeLevel.PROVINCE, scope_code=subdistrict.province_id)
        | Q(scope_level=ScopeLevel.REGION, scope_code=subdistrict.province.region_id or "-")
    )
    users = User.objects.filter(covers, is_active=True).order_by("pk")
    return [u for u in users if holds_role_for(u, Action.RECEIVE_PROVINCE_ESCALATIONS)]
