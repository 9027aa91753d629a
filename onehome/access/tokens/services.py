"""Issuing and revoking API tokens.

Each token row written or deleted here (or anywhere: the admin, a cascade, knox itself) is
audited and its owner told by the receivers in `onehome.access.user_changes`. A service
that deletes several tokens at once names the reason in `batch_reason`: the receiver then
writes one audit row per token with that reason and the service sends one notice.
"""

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

from onehome.access import notices
from onehome.access.actor import current_actor
from onehome.access.models import User

REVOKED = "revoked"
EXPIRED = "expired"
PASSWORD_CHANGED = "revoked: password changed"  # noqa: S105 (a reason, not a password)
USER_DELETED = "revoked: user deleted"

batch_reason: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "onehome_token_batch_reason", default=None
)


@contextlib.contextmanager
def batch(reason: str) -> Iterator[None]:
    """Deletions inside are audited with `reason`, and their owner is not told token by
    token (the caller tells them once, or not at all for expired tokens)."""
    token = batch_reason.set(reason)
    try:
        yield
    finally:
        batch_reason.reset(token)


def issue(*, user: User) -> tuple[AuthToken, str]:
    """A new token for `user`, who has just proved who they are. Returns the row and the
    token: the only time the token exists outside its owner's hands (the row keeps its
    digest). The user's expired tokens are cleared out first."""
    with transaction.atomic():
        with batch(EXPIRED):
            AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
        return AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)


def revoke_token(token: AuthToken) -> None:
    """Revoke one token (the one a request came with: `/api/token/logout/`)."""
    with transaction.atomic():
        token.delete()


def revoke(*, user: User, prefix: str) -> bool:
    """Revoke the user's token with this prefix (the page's and the admin's button). False
    when the user has none (already revoked or expired): nothing changes."""
    with transaction.atomic():
        deleted, _ = AuthToken.objects.filter(user=user, token_key=prefix).delete()
    return bool(deleted)


def revoke_all(*, user: User, reason: str = REVOKED, tell: bool = True) -> list[str]:
    """Revoke every token of `user`; returns their prefixes. `tell=False` when the caller
    tells the user itself (a password change says so in its own notice)."""
    with transaction.atomic(), batch(reason):
        tokens = AuthToken.objects.filter(user=user)
        prefixes = list(tokens.values_list("token_key", flat=True))
        if prefixes:
            tokens.delete()
            if tell:
                notices.tokens_revoked(user=user, actor=current_actor(), prefixes=prefixes)
    return prefixes
