"""Every change to who a user is allowed to be, on the record, from any path.

The receivers here see each save and delete of a `User` and of an API token (knox's
`AuthToken`), whether it comes from the admin site, a page, the API, a management command
(`changepassword`, `createsuperuser`, a shell) or a data load, and:

- write an audit row with the fields that changed, before and after: roles, area scope,
  organisation, the active, staff and superuser flags, and the password (as "changed",
  never a hash); a new user and a deleted user too; each token issued or revoked, named
  by its prefix (never its digest);
- revoke every API token of a user whose password changed (any path: `set_password` and
  save, the admin's password form, `changepassword`, an unusable password);
- tell the user (`notices`): what changed, by whom, when. A new account and a deleted one
  are not told (there is nobody yet, or any more, to read it), nor is an inactive user
  (`notify` skips them: they cannot sign in to read it).

The actor is the signed-in user of the current request (`actor.current_actor`), or nobody
for a command. Connected in `AccessConfig.ready()`.
"""

import contextvars

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from knox.models import AuthToken

from . import notices
from .actor import current_actor
from .audit import record
from .models import AuditAction, User
from .tokens import services as tokens

# The access-giving fields of a user (attribute names), and how the audit row names them.
TRACKED = (
    "roles",
    "scope_level",
    "scope_code",
    "organisation_id",
    "is_active",
    "is_staff",
    "is_superuser",
)
NAMES = {"organisation_id": "organisation"}
# `save(update_fields=…)` may name a field or its attribute; any of these needs a look.
WATCHED = {*TRACKED, "organisation", "password"}
TOKEN = "knox.authtoken"  # noqa: S105 (an object type)

_BEFORE = "_onehome_access_before"
# Users being deleted right now: their tokens go with them (no notice, one reason).
_deleting: contextvars.ContextVar[frozenset[int]] = contextvars.ContextVar(
    "onehome_users_being_deleted", default=frozenset()
)


def access_of(user: User | dict) -> dict:
    """The tracked fields of a user (or of a `values()` row of one), JSON-ready and named
    as the audit row names them."""
    if isinstance(user, dict):
        return {NAMES.get(f, f): user[f] for f in TRACKED}
    return {NAMES.get(f, f): getattr(user, f) for f in TRACKED}


def _password_changed(user: User, old_hash: str, update_fields) -> bool:
    """The stored hash changed, and not by Django re-hashing the same password at sign-in
    (`check_password` saves only the password and forgets the raw one: "password hash
    upgrades shouldn't be considered password changes")."""
    if user.password == old_hash:
        return False
    rehash = (
        user._password is None
        and update_fields is not None
        and set(update_fields) == {"password"}
        and user.has_usable_password()
    )
    return not rehash


@receiver(pre_save, sender=User, dispatch_uid="onehome.user_changes.before")
def remember_before(sender, instance: User, raw: bool, update_fields, using, **kwargs):
    instance.__dict__.pop(_BEFORE, None)
    if raw or instance.pk is None:
        return
    if update_fields is not None and not WATCHED.intersection(update_fields):
        return  # a sign-in's last_login, say: nothing that gives access
    row = sender._base_manager.using(using).filter(pk=instance.pk).values(*TRACKED, "password")
    instance.__dict__[_BEFORE] = row.first()  # None: a new row with its id set


@receiver(post_save, sender=User, dispatch_uid="onehome.user_changes.after")
def record_change(sender, instance: User, created: bool, raw: bool, update_fields, using, **kw):
    if raw:
        return
    looked = _BEFORE in instance.__dict__
    before = instance.__dict__.pop(_BEFORE, None)
    actor = current_actor()
    if created or (looked and before is None):
        after = {**access_of(instance), "password": _password_state(instance)}
        record(actor=actor, action=AuditAction.CREATE, obj=instance, after=after,
               purpose="user created")  # fmt: skip
        return
    if before is None:
        return
    old, new = access_of(before), access_of(instance)
    changed = [name for name in new if old[name] != new[name]]
    password = _password_changed(instance, before["password"], update_fields)
    if not changed and not password:
        return
    was = {name: old[name] for name in changed}
    now = {name: new[name] for name in changed}
    if password:
        was["password"], now["password"] = "previous", _password_state(instance, "changed")
    with transaction.atomic(using=using):
        record(actor=actor, action=AuditAction.UPDATE, obj=instance, before=was, after=now,
               purpose="user access changed")  # fmt: skip
        revoked = []
        if password:
            revoked = tokens.revoke_all(user=instance, reason=tokens.PASSWORD_CHANGED, tell=False)
        notices.account_changed(
            user=instance, actor=actor, before=was, after=now, tokens_revoked=len(revoked)
        )


def _password_state(user: User, usable: str = "set") -> str:
    return usable if user.has_usable_password() else "disabled"


@receiver(pre_delete, sender=User, dispatch_uid="onehome.user_changes.deleting")
def mark_deleting(sender, instance: User, **kwargs):
    _deleting.set(_deleting.get() | {instance.pk})


@receiver(post_delete, sender=User, dispatch_uid="onehome.user_changes.deleted")
def record_deletion(sender, instance: User, **kwargs):
    _deleting.set(_deleting.get() - {instance.pk})
    record(actor=current_actor(), action=AuditAction.DELETE, obj=instance,
           before=access_of(instance), purpose="user deleted")  # fmt: skip


# --- API tokens ------------------------------------------------------------------------------


def _token(token: AuthToken) -> dict:
    """What the audit row keeps of a token: never its digest."""
    expiry = token.expiry.isoformat() if token.expiry else None
    return {"user": token.user_id, "prefix": token.token_key, "expiry": expiry}


@receiver(post_save, sender=AuthToken, dispatch_uid="onehome.user_changes.token_saved")
def record_token(sender, instance: AuthToken, created: bool, raw: bool, using, **kwargs):
    if raw:
        return
    actor = current_actor()
    with transaction.atomic(using=using):
        record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type=TOKEN,
            object_id=instance.token_key,
            after=_token(instance),
            purpose="API token issued" if created else "API token changed",
        )
        if created:
            notices.token_created(
                user=instance.user, actor=actor, prefix=instance.token_key, expiry=instance.expiry
            )


@receiver(post_delete, sender=AuthToken, dispatch_uid="onehome.user_changes.token_deleted")
def record_token_deletion(sender, instance: AuthToken, using, **kwargs):
    reason = tokens.batch_reason.get()
    if instance.user_id in _deleting.get():
        reason = tokens.USER_DELETED
    elif reason is None and instance.expiry is not None and instance.expiry <= timezone.now():
        reason = tokens.EXPIRED  # cleared out after it stopped working (no notice)
    actor = current_actor()
    with transaction.atomic(using=using):
        record(actor=actor, action=AuditAction.DELETE, object_type=TOKEN,
               object_id=instance.token_key, before=_token(instance),
               purpose=reason or tokens.REVOKED)  # fmt: skip
        if reason is None:
            notices.tokens_revoked(user=instance.user, actor=actor, prefixes=[instance.token_key])
