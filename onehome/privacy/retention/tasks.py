"""Background work of the retention schedule, run by the task worker (`onehome db_worker`);
a nightly timer enqueues it (docs/operations.md, "Personal data (PDPA)")."""

from django_tasks import task

from onehome.privacy.retention import anonymise


@task()
def anonymise_expired() -> dict[str, int]:
    """One run of the retention schedule: closed records past retention anonymised."""
    done = anonymise.run()
    return {"cases": done.cases, "reports": done.reports}
