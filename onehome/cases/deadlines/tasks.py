"""Background work of cases, run by the Tasks API (a database queue by default; see
docs/operations.md for the timer that enqueues the ladder every 5 minutes)."""

from django_tasks import task

from onehome.cases.deadlines import escalation


@task()
def escalate_overdue() -> dict[str, int]:
    """One run of the escalation ladder over every overdue case and waiting report."""
    return escalation.escalate()
