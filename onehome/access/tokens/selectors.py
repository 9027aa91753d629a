"""Reads of API tokens: never the digest, only what a person may see of a token."""

from django.db.models import QuerySet
from knox.models import AuthToken

from onehome.access.models import User

# What a page or the admin may show of a token: the prefix (knox's `token_key`, the first
# 15 characters of the token), when it was issued and when it expires.
SHOWN = ("token_key", "created", "expiry")


def tokens_of(user: User) -> QuerySet:
    """The user's tokens, newest first, as dicts of `SHOWN`."""
    return AuthToken.objects.filter(user=user).order_by("-created").values(*SHOWN)


def has_token(user: User, prefix: str) -> bool:
    return AuthToken.objects.filter(user=user, token_key=prefix).exists()
