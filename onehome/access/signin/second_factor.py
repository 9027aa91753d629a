"""The second factor: who needs one, and their TOTP devices (django-otp).

A user who may reach beyond one province, or administer the system, confirms each sign-in
with a six-digit code from an authenticator app (Google Authenticator, Microsoft
Authenticator, FreeOTP…): staff and superusers (Django's admin) and users whose area scope
is an inspection region or the nation. Until the code is confirmed, every page sends them
to the code page (or to enrolment, the first time) and the API refuses their session
(`middleware.SecondFactorMiddleware`). The reads and writes of the pages live here.
"""

import base64
from dataclasses import dataclass

import segno
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from onehome.access.models import ScopeLevel, User
from onehome.access.roles import Action, may

WIDE_SCOPES = frozenset({ScopeLevel.REGION, ScopeLevel.NATION})
DEVICE_NAME = "OneHome"


def needs_second_factor(user) -> bool:
    """Whether this signed-in user must confirm a TOTP code: staff or superuser (the admin
    site), a role the role table names (administrators, the DPO), or an area scope of a
    whole inspection region or the nation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        user.is_staff
        or user.is_superuser
        or getattr(user, "scope_level", "") in WIDE_SCOPES
        or may(user, Action.SIGN_IN_WITH_SECOND_FACTOR)
    )


def is_verified(request) -> bool:
    """Whether this session's user confirmed a code (django-otp's middleware checks that
    the device in the session still exists, is confirmed and is theirs)."""
    user = request.user
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def new_enrolment(user: User) -> TOTPDevice:
    """A fresh secret for a user without a confirmed device: any secret shown before and
    never confirmed is dropped, so each secret is shown once."""
    if has_device(user):
        raise PermissionError("the user already has a confirmed device")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_enrolment(user: User, device_id: int | None) -> TOTPDevice | None:
    if not device_id:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()


@dataclass(frozen=True)
class Check:
    ok: bool
    wait_until: object = None  # a datetime when too many wrong codes were tried


def _check(device: TOTPDevice, code: str) -> Check:
    allowed, data = device.verify_is_allowed()
    if not allowed:
        until = (data or {}).get("locked_until")
        if (data or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and until:
            return Check(False, until)
        return Check(False, timezone.now())
    return Check(bool(device.verify_token(code.strip())))


@transaction.atomic
def confirm_enrolment(request, device: TOTPDevice, code: str) -> Check:
    """Confirm a new device with its first code; on success the session is verified."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    check = _check(device, code)
    if check.ok:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
    return check


@transaction.atomic
def verify(request, code: str) -> Check:
    """Check a code against the user's device; on success the session is verified."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=request.user, confirmed=True)
        .order_by("pk")
        .first()
    )
    if device is None:
        return Check(False)
    check = _check(device, code)
    if check.ok:
        otp_login(request, device)
    return check


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32 (what authenticator apps take when typed), in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, inline (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def token_code_ok(user: User, code: str | None) -> bool:
    """For the API's token view: whether a token may be issued to `user` who signed in
    with a password and, maybe, `code`. True when the user needs no second factor, or when
    `code` is the current code of their confirmed device (wrong codes are throttled as on
    the code page)."""
    if not needs_second_factor(user):
        return True
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=True)
        .order_by("pk")
        .first()
    )
    return bool(device is not None and code and _check(device, str(code)).ok)
