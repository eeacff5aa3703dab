"""Ledger imports (台账导入): one ``ImportBatch`` per uploaded file, one ``ImportedRecord`` per ledger row.

A batch moves pending → checking → ready | invalid → importing → imported | failed, and imported → undone.
Nothing is written to the product's records before the user confirms a batch that checked clean, and the
import itself is one transaction. ``ImportedRecord`` is a row's provenance and its natural key: importing
the same row again finds it by key and changes nothing; a corrected row updates what it names and keeps
the values it replaced, so an undo can put them back.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LedgerKind(models.TextChoices):
    """Every kind of ledger a batch may hold; the kinds the product reads are those ``services.KINDS`` has."""

    RECEPTION = "reception", _("Reception ledger (visits and opinions)")
    SUGGESTIONS = "suggestions", _("Suggestion-handling ledger")
    DEPUTIES = "deputies", _("Deputies roster")
    GRID_DUTIES = "grid_duties", _("Grid-duty ledger")
    VOTER_CONTACTS = "voter_contacts", _("Voter contacts ledger")
    ACTIVITIES = "activities", _("Activities and attendance ledger")


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    READY = "ready", _("Checked, ready to import")
    INVALID = "invalid", _("Has errors")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")
    UNDONE = "undone", _("Undone")


def ledger_upload_to(batch: "ImportBatch", filename: str) -> str:
    return f"imports/{batch.kind}/{filename}"


class ImportBatch(models.Model):
    kind = models.CharField(_("ledger kind"), max_length=20, choices=LedgerKind.choices)
    file = models.FileField(_("file"), upload_to=ledger_upload_to)
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("checksum"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("rows to create"), default=0)
    updated_count = models.PositiveIntegerField(_("rows to update"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # The first problems found, each {"sheet", "row", "column", "message"} (at most MAX_STORED_ERRORS).
    errors = models.JSONField(_("problems"), default=list, blank=True)
    failure = models.TextField(_("reason for failure"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="import_batch_progress_0_100",
                condition=Q(progress__gte=0, progress__lte=100),
                violation_error_message=_("Progress is between 0 and 100."),
            ),
            models.CheckConstraint(
                name="import_batch_status_known",
                condition=Q(
                    status__in=["pending", "checking", "ready", "invalid", "importing", "imported", "failed", "undone"]
                ),
                violation_error_message=_("Unknown status."),
            ),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"]), models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def is_working(self) -> bool:
        return self.status in (BatchStatus.PENDING, BatchStatus.CHECKING, BatchStatus.IMPORTING)


class ImportedRecord(models.Model):
    """Where a record came from (file, sheet, row, batch) and the ledger's natural key for it."""

    kind = models.CharField(_("ledger kind"), max_length=20, choices=LedgerKind.choices)
    key = models.CharField(_("natural key"), max_length=200)
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="records"
    )
    updated_by_batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("last updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="updated_records",
    )
    sheet = models.CharField(_("sheet"), max_length=100)
    row = models.PositiveIntegerField(_("row"))
    fingerprint = models.CharField(_("fingerprint"), max_length=40)
    # What an update replaced, so that undoing the updating batch can restore it.
    previous = models.JSONField(_("previous values"), null=True, blank=True)
    # The station the row belongs to, where its kind has one (a roster row may not).
    station = models.ForeignKey(
        "organisation.Station",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visit = models.OneToOneField(
        "liaison.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_from",
    )
    opinion = models.OneToOneField(
        "liaison.Opinion",
        verbose_name=_("opinion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_from",
    )
    suggestion = models.OneToOneField(
        "suggestions.Suggestion",
        verbose_name=_("suggestion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_from",
    )
    deputy = models.OneToOneField(
        "deputies.Deputy",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_from",
    )
    grid_duty = models.OneToOneField(
        "duties.GridDuty",
        verbose_name=_("grid duty"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_from",
    )
    voter_contact = models.OneToOneField(
        "duties.VoterContact",
        verbose_name=_("voter contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_from",
    )
    activity = models.OneToOneField(
        "duties.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_from",
    )

    # The record a row is shown as in the import log, in this order of preference.
    LINKS = ("opinion", "suggestion", "deputy", "grid_duty", "voter_contact", "activity")

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="imported_record_key_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def link(self) -> tuple[str, object] | None:
        """(field name, record) of the record this row created or corrected, if it still exists."""
        for name in self.LINKS:
            if getattr(self, f"{name}_id"):
                return name, getattr(self, name)
        return None
