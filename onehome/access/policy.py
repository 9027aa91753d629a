"""Every view declares what it may show; a view that declares nothing is refused.

- `personal_data`: shows or changes people/households/cases; must read through
  `access.scope.scoped()`. A test visits each such route as an out-of-scope user.
- `no_personal_data`: areas, organisations, aggregates, the user's own settings.
- `public`: reachable without signing in (login, language switch).

The middleware (`AccessPolicyMiddleware`) refuses any view without one of these marks,
so a new view that forgets to declare itself fails closed rather than leaking.
"""

from collections.abc import Callable
from typing import Any

PERSONAL_DATA = "personal_data"
NO_PERSONAL_DATA = "no_personal_data"
PUBLIC = "public"
POLICIES = frozenset({PERSONAL_DATA, NO_PERSONAL_DATA, PUBLIC})


def _mark(policy: str) -> Callable[[Any], Any]:
    def decorate(view: Any) -> Any:
        view.access_policy = policy
        return view

    return decorate


personal_data = _mark(PERSONAL_DATA)
no_personal_data = _mark(NO_PERSONAL_DATA)
public = _mark(PUBLIC)


def policy_of(view: Any) -> str | None:
    """The declared policy of a view function, class-based view or DRF view."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        policy = getattr(candidate, "access_policy", None)
        if policy in POLICIES:
            return policy
    return None
