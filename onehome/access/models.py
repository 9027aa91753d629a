"""Users with roles and an area scope, and the append-only audit log."""

from django.contrib.auth.models import AbstractUser
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit_chain
from .roles import Action, Role, may

__all__ = ["Role", "User", "ScopeLevel", "AuditAction", "AuditEvent"]


class ScopeLevel(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("Sub-district")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    REGION = "region", _("Inspection region")
    NATION = "nation", _("Nation")


class User(AbstractUser):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    scope_level = models.CharField(
        _("area scope level"), max_length=16, choices=ScopeLevel.choices, blank=True
    )
    scope_code = models.CharField(_("area scope code"), max_length=8, blank=True)

    # The role table (`access.roles`) answers these; they are here for templates.
    @property
    def reads_personal_data(self) -> bool:
        return may(self, Action.READ_PERSONAL_DATA)

    @property
    def writes_registry(self) -> bool:
        """May register and edit people and households (within their area)."""
        return may(self, Action.WRITE_REGISTRY)

    @property
    def merges_people(self) -> bool:
        """May merge two records of one person and undo merges (within their area)."""
        return may(self, Action.MERGE_PEOPLE)


class AuditAction(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    MERGE = "merge", _("merge")
    UNMERGE = "unmerge", _("undo merge")
    SEARCH = "search", _("search")
    EXPORT = "export", _("export")
    # Signing in (onehome/access/signin/events.py): the object is the username tried.
    LOGIN = "login", _("sign-in")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOCKOUT = "lockout", _("sign-in locked out")
    LOGOUT = "logout", _("sign-out")


class AuditQuerySet(models.QuerySet):
    def bulk_create(self, *args, **kwargs):
        # It would skip the chain: `append` chains rows written together. (UPDATE and
        # DELETE the database refuses.)
        raise PermissionError("audit events are chained: use save() or append()")

    def append(self, events: list["AuditEvent"]) -> list["AuditEvent"]:
        """Insert new events in one statement, chained in this order (`seal_all`): the
        same rows as saving each in turn, one lock and one head read instead of one each."""
        if any(e.pk is not None for e in events):
            raise PermissionError("audit events are append-only")
        with transaction.atomic(using=self.db, savepoint=False):
            audit_chain.seal_all(events, connections[self.db])
            return super().bulk_create(events)


class AuditEvent(models.Model):
    """One row per read of personal data and per write. The database refuses UPDATE and
    DELETE on this table (triggers, `access.triggers`), and on PostgreSQL the app's role may
    only SELECT and INSERT (docs/operations.md). Each row is chained to the one before it
    by a hash (`access.audit_chain`; `onehome audit verify` checks the chain)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Plain columns, not foreign keys: the log must outlive the rows it talks about.
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    person_id = models.BigIntegerField(null=True, db_index=True)
    household_id = models.BigIntegerField(null=True, db_index=True)
    # Where the subject lives, so that auditors see the events of their own area.
    subdistrict_code = models.CharField(max_length=6, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The hash chain (`access.audit_chain`, set by `save`): which of the chains the row is
    # on, the hash of the row before it on that chain, and its own.
    chain = models.PositiveSmallIntegerField(default=0, editable=False)
    prev_hash = models.CharField(max_length=64, default="", editable=False)
    hash = models.CharField(max_length=64, default="", editable=False)

    objects = AuditQuerySet.as_manager()

    scope_field = "subdistrict_code"

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["chain", "id"], name="access_audit_chain_head"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # The chain's head is read and this row inserted in one transaction (the caller's,
        # if there is one): no other writer chains onto the same row.
        with transaction.atomic(using=using, savepoint=False):
            audit_chain.seal(self, connections[using])
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are append-only")
