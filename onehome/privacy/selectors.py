"""The DPO's home: counts and lists across the register, within their area."""

import datetime as dt

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from onehome.access.models import User
from onehome.privacy.breaches.selectors import open_breaches
from onehome.privacy.consent.selectors import consents_in_area, overrides_in_area
from onehome.privacy.models import AnonymisedRecord
from onehome.privacy.requests.selectors import open_requests, overdue_requests

RECENT_DAYS = 90


def retention_schedule() -> list[dict]:
    """Years kept after closing, per record type (settings), and how many were anonymised."""
    done = dict(
        AnonymisedRecord.objects.values("object_type")
        .annotate(n=Count("id"))
        .values_list("object_type", "n")
    )
    return [
        {
            "type": "cases.case",
            "years": settings.ONEHOME_RETENTION_YEARS_CASES,
            "setting": "ONEHOME_RETENTION_YEARS_CASES",
            "done": done.get("cases.case", 0),
        },
        {
            "type": "cases.report",
            "years": settings.ONEHOME_RETENTION_YEARS_REPORTS,
            "setting": "ONEHOME_RETENTION_YEARS_REPORTS",
            "done": done.get("cases.report", 0),
        },
    ]


def dpo_home(user: User) -> dict:
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    breaches = list(open_breaches(user)[:50])
    return {
        "open_requests": list(open_requests(user)[:100]),
        "overdue_count": overdue_requests(user).count(),
        "open_count": open_requests(user).count(),
        "breaches": breaches,
        "breaches_late": sum(1 for b in breaches if b.notice_overdue and not b.notified_pdpc_at),
        "overrides": list(overrides_in_area(user).filter(at__gte=since)[:50]),
        "withdrawn_count": consents_in_area(user).filter(withdrawn_at__gte=since).count(),
        "given_count": consents_in_area(user).filter(withdrawn_at__isnull=True).count(),
        "retention": retention_schedule(),
    }
