"""Reports, cases and everything done on a case: its timeline, assessment, plan,
referrals, services and payments, stock of in-kind aid and glass breaks — one module per
concept, every model re-exported here (the app label stays `cases`).

A *report* (แจ้งเหตุ) is what came in — a call, a LINE message, a web form, a walk-in, a
volunteer's visit or a partner's referral. Triage turns it into a *case*, merges it into an
existing case, or closes it with a reason. The case is the one story every agency on it
sees; `CaseEvent` rows are its timeline and are never edited.

The rules (which transitions are allowed, who may do what, deadlines) are not here: they
live in the sub-packages' services (`lifecycle.transitions`, `deadlines.sla` and friends),
so models stay plain data.
"""

from .assistance import (
    Payment,
    Service,
    ServiceKind,
    ServiceStatus,
    Stock,
    StockItem,
    StockMove,
)
from .case import OPEN_STATUSES, Case, CaseEvent, CaseStatus, CaseWorker, EventKind
from .glass import GlassBreak
from .plans import Assessment, Dimension, GoalStatus, PlanGoal
from .referrals import Referral, ReferralStatus
from .reports import (
    CLOSE_AT_ONCE,
    URGENCY_RANK,
    CallType,
    Channel,
    Party,
    PartyRole,
    Report,
    ReportStatus,
    Risk,
    Urgency,
)

__all__ = [
    "CLOSE_AT_ONCE",
    "OPEN_STATUSES",
    "URGENCY_RANK",
    "Assessment",
    "CallType",
    "Case",
    "CaseEvent",
    "CaseStatus",
    "CaseWorker",
    "Channel",
    "Dimension",
    "EventKind",
    "GlassBreak",
    "GoalStatus",
    "Party",
    "PartyRole",
    "Payment",
    "PlanGoal",
    "Referral",
    "ReferralStatus",
    "Report",
    "ReportStatus",
    "Risk",
    "Service",
    "ServiceKind",
    "ServiceStatus",
    "Stock",
    "StockItem",
    "StockMove",
    "Urgency",
]
