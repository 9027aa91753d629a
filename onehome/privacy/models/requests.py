"""Requests of data subjects (PDPA s.30-36), answered within 30 days (s.30)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access and a copy (s.30)")
    RECTIFICATION = "rectification", _("Rectification (s.35)")
    OBJECTION = "objection", _("Objection (s.32)")
    ERASURE = "erasure", _("Erasure or anonymisation (s.33)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused with a reason")


OPEN_REQUEST = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class DataRequest(models.Model):
    scope_field = "person__subdistrict"

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="data_requests"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due"))
    requested_by_name = models.CharField(_("requested by"), max_length=200, blank=True)
    details = models.TextField(_("what is asked"), blank=True)
    answer = models.TextField(_("answer or reason"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        verbose_name = _("data-subject request")

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate() > self.due_on
