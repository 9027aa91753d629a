"""The audit rows of signing in: one per sign-in, failed sign-in (the username tried, never
the password), lockout and sign-out, with the client's address (the access policy
middleware's request context, or the token view's)."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from onehome.access import audit
from onehome.access.models import AuditAction

from .lockout import plain_request
from .second_factor import needs_second_factor

OBJECT_TYPE = "signin"


def _name(value) -> str:
    """A username as typed, fit for the audit row (printable, at most 64 characters)."""
    text = "".join(ch for ch in str(value or "") if ch.isprintable())
    return text[:64]


def record(*, action: str, username: str, actor=None, purpose: str) -> None:
    audit.record(
        actor=actor, action=action, object_type=OBJECT_TYPE, object_id=username, purpose=purpose
    )


@receiver(user_logged_in, dispatch_uid="onehome.signin.logged_in")
def signed_in(sender, request, user, **kwargs):
    purpose = "password accepted"
    if needs_second_factor(user):
        purpose += "; second factor required next"
    record(
        action=AuditAction.LOGIN, username=_name(user.get_username()), actor=user, purpose=purpose
    )


@receiver(user_login_failed, dispatch_uid="onehome.signin.login_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "onehome_refused_locked", False):
        purpose = "refused: account or address locked out"
    else:
        purpose = "wrong username or password"
    username = _name((credentials or {}).get("username"))
    record(action=AuditAction.LOGIN_FAILED, username=username, purpose=purpose)


@receiver(user_locked_out, dispatch_uid="onehome.signin.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    # The middleware that answers a lockout reads Django's request; the API's token view
    # authenticates with REST framework's, where axes marked it.
    plain = plain_request(request)
    if plain is not request:
        plain.axes_locked_out = True
        plain.axes_credentials = getattr(request, "axes_credentials", None)
        plain.axes_attempt_time = getattr(request, "axes_attempt_time", None)
    if getattr(request, "onehome_refused_locked", False):
        return  # locked already: its failure row says so
    minutes = settings.ONEHOME_LOCKOUT_MINUTES
    record(
        action=AuditAction.LOCKOUT,
        username=_name(username),
        purpose=f"too many failed sign-ins: locked for {minutes} minutes",
    )


@receiver(user_logged_out, dispatch_uid="onehome.signin.logged_out")
def signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    purpose = getattr(request, "onehome_sign_out_reason", "") or "signed out"
    record(
        action=AuditAction.LOGOUT, username=_name(user.get_username()), actor=user, purpose=purpose
    )


def second_factor_confirmed(user, *, enrolled: bool) -> None:
    purpose = "second factor enrolled and confirmed" if enrolled else "second factor confirmed"
    record(
        action=AuditAction.LOGIN, username=_name(user.get_username()), actor=user, purpose=purpose
    )


def second_factor_failed(user) -> None:
    record(
        action=AuditAction.LOGIN_FAILED,
        username=_name(user.get_username()),
        actor=user,
        purpose="wrong second-factor code",
    )
