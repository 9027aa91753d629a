"""Who may use targeting, as the role table (`access.roles`) says: read its results
(aggregates; households also need a personal-data role, `results.selectors.household_scope`)
and import rounds and start runs. Pages and API ask here; users without the role get 404,
as for anything out of scope."""

from __future__ import annotations

from django.http import Http404

from onehome.access.models import User
from onehome.access.roles import Action, may


def reads_targeting(user: User) -> bool:
    return may(user, Action.READ_TARGETING)


def runs_targeting(user: User) -> bool:
    """May start runs."""
    return reads_targeting(user) and may(user, Action.RUN_TARGETING)


def require_reader(user) -> None:
    if not reads_targeting(user):
        raise Http404


def require_runner(user) -> None:
    if not runs_targeting(user):
        raise Http404


def imports_surveys(user: User) -> bool:
    """May import survey rounds and welfare-card lists."""
    return reads_targeting(user) and may(user, Action.IMPORT_SURVEYS)


def require_importer(user) -> None:
    if not imports_surveys(user):
        raise Http404
