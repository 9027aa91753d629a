"""How the case pages' POST views meet a service's refusal: every user error becomes a
message on the page the user comes back to, and a record outside their scope a 404.
One place, so a refusal reads the same on every page and none of them can leak a 500."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404

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
