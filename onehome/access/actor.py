"""Who is acting now, for code that is not handed a user: the signal receivers that audit
changes to users and tokens (`user_changes`) and the notices they send (`notices`)."""

from .middleware import current_request
from .models import User


def current_actor() -> User | None:
    """The signed-in user of the current request (a session's, or an API token's once REST
    framework has authenticated it); None in a command, a task or an anonymous request."""
    request = current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is None or not user.is_authenticated:
        return None
    return user
