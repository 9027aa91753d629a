"""Starting a targeting run: check the catalogue, its settings and k, create the `Run` row
(status ``queued``) with its audit event, and enqueue the background task
(`tasks.run_targeting`, whose body is `execution.execute_run`) once the row is committed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.errors import ValidationError
from onehome.targeting.catalogue_files import catalogue
from onehome.targeting.engine.spec import SpecError
from onehome.targeting.imports.survey_rounds import check_actor
from onehome.targeting.models import Run, SurveyRound, WelfareCardList
from onehome.targeting.runs.tasks import run_targeting


def start_run(
    *,
    actor: User | None,
    survey_round: SurveyRound,
    welfare_list: WelfareCardList | None = None,
    spec_name: str = "",
    spec_settings: dict[str, Any] | None = None,
    k: str = "",
    background: bool = True,
) -> Run:
    """Create a queued run and (``background``) enqueue its task once the row is committed.

    The catalogue, its settings and k are checked here, so a run that cannot even start
    is refused with a message instead of failing later in the worker."""
    check_actor(actor)
    spec_name = spec_name or survey_round.catalogue
    spec_settings = dict(spec_settings or {})
    spec = catalogue(spec_name, **spec_settings)
    if k:
        try:
            spec = spec.with_k(k)
        except SpecError as exc:
            raise ValidationError(str(exc), code="bad_k") from exc
    for registered in (survey_round, welfare_list):
        if registered is not None and not registered.path.exists():
            raise ValidationError(
                _("The data file of %(what)s is missing; import it again.") % {"what": registered},
                code="missing_file",
            )
    with transaction.atomic():
        run = Run.objects.create(
            survey_round=survey_round,
            welfare_list=welfare_list,
            spec_name=spec_name,
            spec_settings=spec_settings,
            k=str(k or ""),
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=run,
            after=audit.snapshot(run),
            purpose="targeting run",
        )
        if background:
            transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    result = run_targeting.enqueue(run_id)
    Run.objects.filter(pk=run_id).update(task_id=str(result.id))
