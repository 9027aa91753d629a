"""Small factories for the SLA, escalation, glass and stats tests: cases and reports made
directly (these tests are about deadlines, not about intake), and agencies with staff."""

import datetime as dt
import itertools

from onehome.access.models import ScopeLevel, User
from onehome.cases.deadlines.calendar import BANGKOK
from onehome.cases.models import (
    CallType,
    Case,
    CaseStatus,
    CaseWorker,
    Channel,
    Report,
    ReportStatus,
    Urgency,
)
from onehome.conftest import WIANG
from onehome.orgs.models import Organisation, OrgKind

_n = itertools.count(1)


def bkk(*args: int) -> dt.datetime:
    """A Bangkok wall-clock time: bkk(2025, 4, 14, 2) is 02:00 on 14 April 2025."""
    return dt.datetime(*args, tzinfo=BANGKOK)


def make_org(name: str = "พมจ.เชียงราย", kind: str = OrgKind.PROVINCIAL_OFFICE) -> Organisation:
    return Organisation.objects.create(
        code=f"org{next(_n)}", kind=kind, name_th=name, province_id="57"
    )


def make_staff(*roles: str, org: Organisation | None, code: str = "57", **extra) -> User:
    level = ScopeLevel.PROVINCE if len(code) == 2 else ScopeLevel.SUBDISTRICT
    return User.objects.create_user(
        username=f"staff{next(_n)}",
        password=None,  # unusable: hashing a real one costs a second per user
        roles=list(roles),
        organisation=org,
        scope_level=extra.pop("scope_level", level),
        scope_code=code,
        **extra,
    )


def make_case(
    *,
    owner: Organisation,
    due_at: dt.datetime | None = None,
    urgency: str = Urgency.NORMAL,
    status: str = CaseStatus.ASSESSING,
    sensitive: bool = False,
    subdistrict: str = WIANG,
    workers: tuple[User, ...] = (),
    **extra,
) -> Case:
    case = Case.objects.create(
        number=f"T{next(_n):06d}",
        urgency=urgency,
        status=status,
        category="violence" if sensitive else "homeless",
        sensitive=sensitive,
        title="test case",
        subdistrict_id=subdistrict,
        owner=owner,
        due_at=due_at,
        **extra,
    )
    for user in workers:
        CaseWorker.objects.create(case=case, user=user)
    return case


def make_report(
    *, routed_to: Organisation | None, due_at: dt.datetime, subdistrict: str = WIANG, **extra
) -> Report:
    return Report.objects.create(
        reference=f"R{next(_n):06d}",
        channel=Channel.HOTLINE,
        call_type=CallType.NEW,
        status=extra.pop("status", ReportStatus.WAITING),
        subdistrict_id=subdistrict,
        routed_to=routed_to,
        due_at=due_at,
        **extra,
    )
