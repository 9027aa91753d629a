"""The case a request is about, resolved and authorised once, before the view runs: the
`case_view` decorator for the case pages and `case_action` for the API's actions on a case.

Both turn the URL's ``pk`` into the `Case` the caller may see (area scope, case roles, the
sensitive-case rule: `visibility.selectors.get_visible_case`) and answer 404 otherwise —
never 403, and before the form or body is looked at, so a refusal tells nothing about the
request. The view receives the case instead of its id (Sentry's `convert_args`, Zulip's
`access_message`). Services still check again under their row lock: this is the door,
not the rule.

Neither audits: a page or action that shows the case records its own read
(`lifecycle.selectors.case_detail_of`), once.
"""

import functools
from collections.abc import Callable

from django.http import Http404
from django.shortcuts import render

from onehome.cases.api_requests import valid_body
from onehome.cases.visibility.forms import GlassForm
from onehome.cases.visibility.selectors import cases_needing_glass, get_visible_case
from onehome.errors import NotInScopeError


def case_view(
    view: Callable | None = None, *, related: tuple[str, ...] = (), glass_form: bool = False
):
    """Decorate a case page ``view(request, case, ...)`` routed with ``<int:pk>``.

    ``related`` names foreign keys read with the case. With ``glass_form``, a sensitive
    case in the user's area that is closed to them shows the break-the-glass form (and
    nothing of the case) instead of 404."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request, pk: int, *args, **kwargs):
            try:
                case = get_visible_case(request.user, pk, related=related)
            except NotInScopeError:
                if glass_form and cases_needing_glass(request.user).filter(pk=pk).exists():
                    return render(request, "cases/glass.html", {"pk": pk, "form": GlassForm()})
                raise Http404 from None
            return view(request, case, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def case_action(method: Callable | None = None, *, body=None, related: tuple[str, ...] = ()):
    """Decorate a `CaseViewSet` action ``method(self, request, case, ...)``.

    The case first (404), then, with ``body`` (a serializer class), the request's valid
    body as ``data`` (400): a caller who may not see the case learns nothing from a
    malformed body. Put it under DRF's ``@action``."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self, request, pk=None, *args, **kwargs):
            try:
                case = get_visible_case(request.user, pk, related=related)
            except NotInScopeError:
                raise Http404 from None
            if body is not None:
                kwargs["data"] = valid_body(body, request)
            return method(self, request, case, *args, **kwargs)

        return wrapper

    return decorate(method) if method is not None else decorate
