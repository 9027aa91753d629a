"""Backdating for the demo's cases, and the demo people who need help.

The case services stamp "now" on everything they write, as they must. A demo whose every
case was opened a second ago shows no turnaround, no deadlines and nothing overdue, so
each step is run through `Clock.at` with the moment it happens in the story, and
`Clock.settle` moves the timestamps each step wrote to that moment. Deadlines are
recomputed from those moments with the same `sla` functions the services use. The audit
log is never touched: it records when the demo was loaded, which is the truth.
"""

import bisect
import datetime as dt
import random
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone

from onehome.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseWorker,
    Payment,
    PlanGoal,
    Referral,
    Report,
    Service,
    StockMove,
)
from onehome.notifications.models import Notification
from onehome.privacy.models import ConsentRecord, EmergencyOverride
from onehome.registry.models import Membership, Person, Sex
from onehome.registry.target_groups import years_ago

from . import case_stories as st

T = TypeVar("T")

# Every timestamp a case service sets to "now" (due dates are recomputed, not moved).
STAMPED: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Report, ("received_at", "closed_at")),
    (Case, ("opened_at", "closed_at")),
    (CaseEvent, ("at",)),
    (CaseWorker, ("assigned_at",)),
    (Referral, ("sent_at", "responded_at", "delivered_at", "outcome_at")),
    (Service, ("requested_at", "approved_at", "delivered_at")),
    (Payment, ("paid_at",)),
    (StockMove, ("at",)),
    (Assessment, ("assessed_at",)),
    (PlanGoal, ("created_at",)),
    (Notification, ("created_at",)),
    (ConsentRecord, ("given_at",)),
    (EmergencyOverride, ("at",)),
)


class Clock:
    """Runs service calls as if at moments in the past.

    Each call is remembered with the real time it started; `settle` then moves every
    timestamp written since the first call to the moment of the call that wrote it (the
    latest call that started before it). One pass at the end costs a few bulk updates
    instead of one update per stamped column after every call."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.marks: list[dt.datetime] = []
        self.moments: list[dt.datetime] = []

    def at(self, when: dt.datetime, call: Callable[..., T], /, **kwargs: Any) -> T:
        self.marks.append(timezone.now())
        self.moments.append(min(when, self.now - dt.timedelta(minutes=1)))
        return call(**kwargs)

    def settle(self, batch_size: int = 1000) -> int:
        """Backdate what the calls wrote; returns how many timestamps moved."""
        if not self.marks:
            return 0
        moved = 0
        for model, fields in STAMPED:
            for name in fields:
                rows = model.objects.filter(**{f"{name}__gte": self.marks[0]})
                changed = []
                for pk, value in rows.values_list("pk", name).iterator():
                    step = bisect.bisect_right(self.marks, value) - 1
                    changed.append(model(pk=pk, **{name: self.moments[step]}))
                model.objects.bulk_update(changed, [name], batch_size=batch_size)
                moved += len(changed)
        self.marks, self.moments = [], []
        return moved


class People:
    """Demo registry people to be the ones needing help, drawn without repeats."""

    def __init__(self, province: str, local_subdistrict: str, rng: random.Random) -> None:
        self.province, self.local, self.rng = province, local_subdistrict, rng
        self.today = timezone.localdate()
        self.pools: dict[tuple[str, bool], list[int]] = {}

    def _query(self, kind: str, local: bool):
        qs = Person.objects.filter(merged_into__isnull=True)
        if local:
            qs = qs.filter(subdistrict_id=self.local)
        else:
            qs = qs.filter(subdistrict__province_id=self.province)
        born_after = lambda years: {"birth_date__gt": years_ago(self.today, years)}  # noqa: E731
        born_before = lambda years: {"birth_date__lte": years_ago(self.today, years)}  # noqa: E731
        filters = {
            st.CHILD: born_after(15),
            st.TEEN_GIRL: {**born_after(20), **born_before(13), "sex": Sex.FEMALE},
            st.ADULT: {**born_after(60), **born_before(20)},
            st.WOMAN: {**born_after(60), **born_before(20), "sex": Sex.FEMALE},
            st.ELDER: born_before(60),
            st.HOMELESS: {"no_fixed_address": True},
        }
        if kind == st.DISABLED:
            return qs.exclude(disability="")
        return qs.filter(**filters[kind])

    def draw(self, kind: str, *, local: bool) -> Person | None:
        """Someone of that kind (in the centre's sub-district when `local`), or None."""
        key = (kind, local)
        if key not in self.pools:
            pks = list(self._query(kind, local).order_by("pk").values_list("pk", flat=True))
            self.rng.shuffle(pks)
            self.pools[key] = pks
        pool = self.pools[key]
        return Person.objects.get(pk=pool.pop()) if pool else None

    def offender_at_home(self, victim: Person) -> Person | None:
        """An adult man of the victim's household, to link as the alleged offender."""
        household = (
            Membership.objects.filter(person=victim, end_date__isnull=True)
            .values_list("household_id", flat=True)
            .first()
        )
        if household is None:
            return None
        men = Membership.objects.filter(
            household_id=household,
            end_date__isnull=True,
            person__sex=Sex.MALE,
            person__birth_date__lte=years_ago(self.today, 18),
        ).exclude(person=victim)
        return Person.objects.filter(pk__in=men.values("person_id")).order_by("pk").first()


def age_of(person: Person, today: dt.date) -> int | None:
    if person.birth_date is None:
        return None
    return today.year - person.birth_date.year
