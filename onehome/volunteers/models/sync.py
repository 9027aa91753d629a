"""What the phone sent while offline, and the conflicts a person must settle.

Each change to a household or a member made on the phone arrives as an `OfflineChange`
carrying the id the phone made (a retry finds it and changes nothing), the version it was
made on and the values it saw then (base) and set (mine). `offline.merge` merges it field
by field with what changed on the server since; a field changed on both sides to
different values becomes a `Conflict` for centre staff: nothing is overwritten silently."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeTarget(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    PERSON = "person", _("Member")


class ChangeOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    MERGED = "merged", _("Merged with changes made meanwhile")
    CONFLICT = "conflict", _("Waiting for review")
    UNCHANGED = "unchanged", _("Nothing to change")


class OfflineChange(models.Model):
    scope_field = "household__subdistrict"

    client_id = models.UUIDField(unique=True)
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, related_name="offline_changes"
    )
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    target = models.CharField(max_length=16, choices=ChangeTarget.choices)
    object_id = models.PositiveBigIntegerField()
    base_version = models.PositiveIntegerField()
    base = models.JSONField(default=dict)
    mine = models.JSONField(default=dict)
    outcome = models.CharField(max_length=16, choices=ChangeOutcome.choices)
    made_at = models.DateTimeField(_("made on the phone at"))
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("change made offline")

    def __str__(self) -> str:
        return f"{self.target} {self.object_id} {self.outcome}"


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    RESOLVED = "resolved", _("Settled")


class Conflict(models.Model):
    """One field changed on the phone and on the server to different values."""

    scope_field = "household__subdistrict"

    change = models.ForeignKey(OfflineChange, on_delete=models.PROTECT, related_name="conflicts")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    target = models.CharField(max_length=16, choices=ChangeTarget.choices)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=40)
    base = models.JSONField(null=True)
    theirs = models.JSONField(null=True)
    theirs_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    theirs_at = models.DateTimeField(null=True)
    mine = models.JSONField(null=True)
    mine_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=ConflictStatus.choices, default=ConflictStatus.OPEN
    )
    chosen = models.JSONField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "created_at", "id"]
        verbose_name = _("offline change to review")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.target} {self.object_id}.{self.field}"
