"""Targeting pages: survey rounds and runs (with progress), the import page, starting a run.

Area pages are in `pages.areas`, household pages (personal data) in `pages.households`.
Thin: forms in, the import/run functions of this app do the work.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access.policy import no_personal_data
from onehome.errors import DuplicateError, ValidationError
from onehome.targeting.imports import selectors as imports
from onehome.targeting.models import RunStatus
from onehome.targeting.pages.forms import ImportForm, StartRunForm
from onehome.targeting.permissions import (
    imports_surveys,
    require_importer,
    require_reader,
    require_runner,
    runs_targeting,
)
from onehome.targeting.runs import selectors as runs

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


@no_personal_data
@login_required
def index(request):
    """Rounds, lists and runs; analysts also get the start-run form."""
    user = request.user
    require_reader(user)
    context = {
        "rounds": imports.survey_rounds()[:50],
        "lists": imports.welfare_lists()[:20],
        "runs": runs.runs_with_inputs()[:50],
        "form": StartRunForm() if runs_targeting(user) else None,
        "can_run": runs_targeting(user),
        "can_import": imports_surveys(user),
    }
    return render(request, "targeting/index.html", context)


@no_personal_data
@login_required
def run_status(request, run_id: int):
    """The small fragment the runs table polls every 2 s while a run is queued or running."""
    require_reader(request.user)
    run = runs.run_by_id(run_id)
    if run is None:
        raise Http404
    return render(request, "targeting/_run_status.html", {"run": run, "active": ACTIVE})


@no_personal_data
@login_required
@require_POST
def start(request):
    user = request.user
    require_runner(user)
    form = StartRunForm(request.POST)
    if form.is_valid():
        # Imported here: running pulls in Ibis, pandas and the engine, which the other
        # pages do not need (every web worker imports this module).
        from onehome.targeting.runs import services

        d = form.cleaned_data
        settings = {}
        if d.get("income_threshold") is not None:
            settings["income_threshold"] = d["income_threshold"]
        try:
            run = services.start_run(
                actor=user,
                survey_round=d["survey_round"],
                welfare_list=d.get("welfare_list"),
                spec_name=d["catalogue"],
                k=d.get("k") or "",
                spec_settings=settings,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("Run %(id)s is queued.") % {"id": run.pk})
    else:
        messages.error(request, _("Check the run settings: %(errors)s") % {"errors": form.errors})
    return redirect("targeting:index")


@no_personal_data
@login_required
def import_file(request):
    """Upload a survey round or a welfare-card list; a rejected file shows its row errors."""
    user = request.user
    require_importer(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        folder = Path(tempfile.mkdtemp(prefix="onehome-upload-"))
        path = folder / Path(upload.name).name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            imported = _import(user, d, path)
        except ValidationError as exc:
            rejected = exc
        except DuplicateError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("Imported: %(name)s") % {"name": imported})
            return redirect("targeting:index")
        finally:
            path.unlink(missing_ok=True)
            folder.rmdir()
    context = {
        "form": form,
        "rejected": rejected,
        "errors": getattr(rejected, "errors", []),
        "totals": getattr(rejected, "totals", []),
    }
    return render(request, "targeting/import.html", context, status=400 if rejected else 200)


def _import(user, d: dict, path: Path):
    # Imported here, as in `start`: the imports pull in DuckDB, pyarrow and the engine.
    if d["kind"] == "survey":
        from onehome.targeting.imports.survey_rounds import import_survey_round  # see above

        return import_survey_round(
            actor=user, path=path, year=d["year"], name=d["name"], catalogue_name=d["catalogue"]
        )
    from onehome.targeting.imports.welfare_lists import import_welfare_list  # see above

    return import_welfare_list(actor=user, path=path, as_of=d["as_of"], name=d["name"])


def _message(exc: Exception) -> str:
    messages_ = getattr(exc, "messages", None)
    return " ".join(str(m) for m in messages_) if messages_ else str(exc)
