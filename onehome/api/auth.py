"""Token authentication with one lean query per request.

The tokens are django-rest-knox's (docs/decisions/0012-api-tokens-knox.md): the database
keeps a SHA-512 digest of each token and its first 15 characters (`token_key`), never the
token, and each token has an expiry. The specification is knox's own
`knox.auth.TokenAuthentication`: find the rows by the prefix, compare the digest in
constant time, refuse an expired token and an inactive user. That class also reads every
other token of the user and deletes the expired ones, on every request; and building its
ORM query cost more Python per API call than the query itself (docs/performance.md,
"Figures behind choices in the code (cases API)").

`LeanTokenAuthentication` gives the same answers (tested against knox's on a set of keys:
`onehome/api/tests/test_token_auth.py`) with one indexed query compiled once
(`onehome.core.compiled.queries`) and no write: an expired token is refused and left for
the next sign-in of its owner to clear out. Nothing is cached, so a deactivated user or a
revoked token is refused at once, in every server process.
"""

from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from onehome.core.compiled.queries import CompiledQuery

# The tokens with a prefix and their users, as knox's query reads them, compiled once.
_TOKENS_BY_PREFIX = CompiledQuery(
    lambda prefix: AuthToken.objects.filter(token_key=prefix).select_related("user")
)
# The longest token knox issues: a prefix of up to 10 characters and the random part.
_MAX_LENGTH = CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + knox_settings.AUTH_TOKEN_CHARACTER_LENGTH


class LeanTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`: REST framework's header parsing (and its answers to a
    malformed header), knox's check of the token."""

    keyword = knox_settings.AUTH_HEADER_PREFIX

    def authenticate_credentials(self, key):
        # A token that no token can be is refused before the database sees it: PostgreSQL
        # rejects text with a NUL byte (a 500, not a refusal), and tokens are 64 characters.
        if not (isinstance(key, str) and 0 < len(key) <= _MAX_LENGTH and "\x00" not in key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        digest = hash_token(key)
        for token in _TOKENS_BY_PREFIX(key[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if not compare_digest(digest, token.digest):
                continue
            if token.expiry is not None and token.expiry < timezone.now():
                break
            if not token.user.is_active:
                raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
            return token.user, token
        raise exceptions.AuthenticationFailed(_("Invalid token."))
