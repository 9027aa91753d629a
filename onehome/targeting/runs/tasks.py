"""Background work of targeting, run by the task worker (`onehome db_worker`)."""

from django_tasks import task

from onehome.targeting.runs.execution import execute_run


@task()
def run_targeting(run_id: int) -> str:
    """Run a queued targeting run; its row records progress, results or why it failed."""
    return execute_run(run_id=run_id).status
