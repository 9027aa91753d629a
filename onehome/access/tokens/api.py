"""API tokens through the API: sign in for one, revoke it, revoke them all.

`POST /api/token/` with a username and password answers `{"token": "…", "expiry": "…"}`:
the only answer that ever holds the token. `POST /api/token/logout/` revokes the token the
request came with, `POST /api/token/logout-all/` every token of its user (both 204, and
both only with a token: a session has no token to revoke).
"""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import parsers as drf_parsers
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from onehome.access.policy import NO_PERSONAL_DATA, PUBLIC
from onehome.access.signin import second_factor
from onehome.api import parsers
from onehome.api.auth import LeanTokenAuthentication

from . import services


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"), write_only=True)
    password = serializers.CharField(
        label=_("Password"), style={"input_type": "password"}, trim_whitespace=False,
        write_only=True,
    )  # fmt: skip
    otp = serializers.CharField(
        label=_("Code from the authenticator app"), required=False, write_only=True,
        help_text="Six digits; needed by accounts that sign in with a second factor.",
    )  # fmt: skip

    def validate(self, attrs):
        # Through the authentication backends with the request: the lockout of repeated
        # failures (django-axes) counts this sign-in like any other.
        user = authenticate(
            request=self.context["request"],
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:  # a wrong password, an unknown or inactive user, a lockout
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        # A token is a sign-in too: an account that needs a second factor on the pages
        # needs its code here, or the token would be a way around it.
        if not second_factor.token_code_ok(user, attrs.get("otp")):
            raise serializers.ValidationError(
                {
                    "otp": _(
                        "This account signs in with a second factor: send the 6-digit "
                        "code from its authenticator app as otp."
                    )
                },
                code="second_factor_required",
            )
        attrs["user"] = user
        return attrs


class TokenAnswerSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once: only its digest is kept.")
    expiry = serializers.DateTimeField()


class TokenView(APIView):
    """Sign in for a token. Our own JSON parser, so that JSON nested too deep is a 400 here
    too (the endpoint answers anyone); no session, so no CSRF check on a sign-in."""

    access_policy = PUBLIC
    authentication_classes: list = []
    permission_classes: list = []
    parser_classes = [parsers.JSONParser, drf_parsers.FormParser, drf_parsers.MultiPartParser]
    serializer_class = TokenRequestSerializer

    @extend_schema(request=TokenRequestSerializer, responses=TokenAnswerSerializer)
    def post(self, request, *args, **kwargs):
        asked = TokenRequestSerializer(data=request.data, context={"request": request})
        asked.is_valid(raise_exception=True)
        user = asked.validated_data["user"]
        # The actor of the token's audit row: the user who has just signed in.
        request.user = user
        token, key = services.issue(user=user)
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        answer = TokenAnswerSerializer({"token": key, "expiry": token.expiry}).data
        response = Response(answer)
        patch_cache_control(response, no_store=True, private=True)
        return response


class _WithToken(APIView):
    access_policy = NO_PERSONAL_DATA
    authentication_classes = [LeanTokenAuthentication]
    permission_classes = [IsAuthenticated]


class TokenLogoutView(_WithToken):
    """Revoke the token this request came with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        services.revoke_token(request.auth)
        user_logged_out.send(sender=request.user.__class__, request=request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLogoutAllView(_WithToken):
    """Revoke every token of this request's user (the other devices and scripts too)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        services.revoke_all(user=request.user)
        user_logged_out.send(sender=request.user.__class__, request=request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
