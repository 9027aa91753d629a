"""What the retention task anonymised: one row per record, so a run is idempotent and the
DPO can answer "what became of this case"."""

from django.db import models
from django.utils import timezone


class AnonymisedRecord(models.Model):
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    subdistrict_code = models.CharField(max_length=6, blank=True)
    anonymised_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=40)  # "retention" or "erasure request"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="anonymised_once")
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"
