"""Survey rounds, welfare-card lists and targeting runs: the registered *files* of targeting.

A round holds 36.6 million people a year, so people are never ORM rows: each round and
list is one normalised Parquet file under ``settings.ONEHOME_DATA_DIR`` and these rows
only say where it is, what it holds and who brought it in. A run's results are Parquet
files too (``areas``, ``subsets``, ``households``) in the run's own directory; the row
keeps status, progress and a small nation-level summary for lists and dashboards.

Paths are stored relative to ``ONEHOME_DATA_DIR`` so the data directory can move.
"""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.core import thai_dates
from onehome.geo.models import Province


def data_path(relative: str) -> Path:
    """The absolute path of a file registered relative to the data directory."""
    return Path(settings.ONEHOME_DATA_DIR) / relative


class SurveyRound(models.Model):
    """One จปฐ. survey round imported from a file (one row per person)."""

    year = models.PositiveSmallIntegerField(_("survey year"))
    name = models.CharField(_("name"), max_length=120)
    # Empty for a national round; a provincial round may only hold villages of its province.
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    catalogue = models.CharField(_("indicator catalogue"), max_length=64)
    parquet_path = models.CharField(_("Parquet file"), max_length=255)
    source_name = models.CharField(_("source file name"), max_length=255, blank=True)
    rows = models.BigIntegerField(_("people"))
    households = models.BigIntegerField(_("households"))
    # SHA-256 of the imported source file: the same file is not imported twice.
    checksum = models.CharField(_("checksum"), max_length=64, unique=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-imported_at"]
        verbose_name = _("survey round")

    def __str__(self) -> str:
        return f"{self.name} ({thai_dates.era_year(self.year)})"

    @property
    def path(self) -> Path:
        return data_path(self.parquet_path)


class WelfareCardList(models.Model):
    """National IDs on the state welfare-card registry as of a date."""

    name = models.CharField(_("name"), max_length=120)
    as_of = models.DateField(_("as of"))
    parquet_path = models.CharField(_("Parquet file"), max_length=255)
    source_name = models.CharField(_("source file name"), max_length=255, blank=True)
    count = models.BigIntegerField(_("national IDs"))
    checksum = models.CharField(_("checksum"), max_length=64, unique=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["-as_of", "-imported_at"]
        verbose_name = _("welfare-card list")

    def __str__(self) -> str:
        return f"{self.name} ({self.as_of:%Y-%m-%d})"

    @property
    def path(self) -> Path:
        return data_path(self.parquet_path)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Run(models.Model):
    """One Alkire–Foster run of a catalogue over a survey round (a background task)."""

    RESULT_FILES = ("areas.parquet", "subsets.parquet", "households.parquet")

    survey_round = models.ForeignKey(
        SurveyRound, on_delete=models.PROTECT, related_name="runs", verbose_name=_("survey round")
    )
    welfare_list = models.ForeignKey(
        WelfareCardList,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("welfare-card list"),
    )
    spec_name = models.CharField(_("indicator catalogue"), max_length=64)
    # Overrides of the catalogue's settings (e.g. income_threshold), kept to reproduce the run.
    spec_settings = models.JSONField(_("catalogue settings"), default=dict, blank=True)
    # "union" or a number in (0, 1] as typed ("1/3" allowed); empty = the catalogue's own k.
    k = models.CharField(_("poverty cutoff k"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.FloatField(_("progress"), default=0.0)
    stage = models.CharField(_("stage"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Relative to ONEHOME_DATA_DIR; set only once every result file is in place.
    result_dir = models.CharField(_("result directory"), max_length=255, blank=True)
    summary = models.JSONField(_("nation-level measures"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("targeting run")

    def __str__(self) -> str:
        return f"run {self.pk} of {self.survey_round}"

    @property
    def result_path(self) -> Path | None:
        return data_path(self.result_dir) if self.result_dir else None
