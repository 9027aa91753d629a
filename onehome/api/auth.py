"""Token authentication with one lean query per request.

REST framework's `TokenAuthentication` reads the token and its user through the ORM
(`Token.objects.select_related("user").get(key=...)`): building that query cost more
Python per API call than the query itself (see docs/performance.md, "Figures behind
choices in the code (cases API)"). This reads the same row with a query compiled once
(`onehome.core.compiled.queries`), so every request still sees the user as the database
has it now (a deactivated user or a deleted token is refused at once, in every server
process; nothing is cached).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from onehome.access.models import User
from onehome.core.compiled.queries import CompiledQuery

# The user of a token, as REST framework's query reads it, compiled once.
_USER_BY_TOKEN = CompiledQuery(lambda key: User.objects.filter(auth_token__key=key))
_KEY_LENGTH = Token._meta.get_field("key").max_length


class LeanTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as REST framework's, with the same answers."""

    def authenticate_credentials(self, key):
        # A key no token can have is refused before the database sees it: PostgreSQL
        # rejects text with a NUL byte (a 500, not a 401), and keys are 40 characters.
        valid = isinstance(key, str) and 0 < len(key) <= _KEY_LENGTH and "\x00" not in key
        users = _USER_BY_TOKEN(key) if valid else []
        if not users:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = users[0]
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # REST framework answers (user, token); views read request.auth only to know that a
        # token was used, so a Token that is not read back from the database will do.
        token = Token(key=key, user=user)
        token._state.adding, token._state.db = False, user._state.db
        return user, token
