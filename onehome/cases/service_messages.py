"""How the case pages' POST views call a service and come back: every user error becomes a
message on the page the user comes back to, and a record outside their scope a 404.
One place, so a refusal reads the same on every page and none of them can leak a 500."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from onehome.cases.models import Case
from onehome.errors import DuplicateError, NotInScopeError, StaleVersionError, ValidationError


def show_error(request, exc: Exception) -> None:
    """A user error from a service, as one message per problem it names."""
    for m in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
        messages.error(request, m)


@dataclass
class Outcome:
    ok: bool = True


@contextmanager
def service_errors_shown(request) -> Iterator[Outcome]:
    """Run the block's service call; a refusal is shown and swallowed (``outcome.ok`` is
    then False), and an out-of-scope record answers 404."""
    outcome = Outcome()
    try:
        yield outcome
    except (ValidationError, DuplicateError, StaleVersionError) as exc:
        outcome.ok = False
        show_error(request, exc)
    except NotInScopeError:
        raise Http404 from None


def safe_next(request, default: str) -> str:
    """Where to go back after a POST: a local path from the form, else `default`."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def back_to_case(pk: int, anchor: str = ""):
    """Back to the case page, at the section the form was in."""
    url = reverse("cases:case", args=[pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def post_on_case(request, case: Case, form, call, *, done: str | Callable, anchor: str):
    """The shared path of a form on the case page, for a case already resolved
    (`case_access.case_view`: 404 first): the form's shape, then the one service
    (``call(cleaned_data)``); back to the case page's section. ``done`` is the success
    message, or a function of the cleaned data and the service's answer that names what
    was done."""
    pk = case.pk
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for e in errors:
                messages.error(request, f"{label}: {e}" if label else e)
        return back_to_case(pk, anchor)
    with service_errors_shown(request):
        result = call(form.cleaned_data)
        messages.success(request, done(form.cleaned_data, result) if callable(done) else done)
    return back_to_case(pk, anchor)
