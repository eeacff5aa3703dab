"""Reads of ledger imports, scoped to the user: the office, leaders and administrators see every import,
station staff the imports they uploaded."""

from django.core.cache import cache
from django.db.models import Q, QuerySet

from core.scoping import scoped
from imports.models import ImportBatch, ImportedRecord

PROGRESS_TTL = 3600


def progress_key(batch_id: int) -> str:
    return f"imports:progress:{batch_id}"


def batches_visible_to(user) -> QuerySet[ImportBatch]:
    return scoped(
        user,
        ImportBatch.objects.select_related("created_by", "undone_by"),
        staff=lambda u: Q(created_by=u),
        distinct=False,
    )


def records_of(batch: ImportBatch) -> QuerySet[ImportedRecord]:
    """The rows a batch created or last corrected, in ledger order."""
    return (
        ImportedRecord.objects.filter(Q(batch=batch) | Q(updated_by_batch=batch))
        .select_related("station", *ImportedRecord.LINKS)
        .order_by("sheet", "row", "id")
    )


def batch_progress(batch: ImportBatch) -> int:
    """0–100: while an import runs inside its transaction its progress is in the cache, not the row."""
    if batch.status == "importing":
        return max(batch.progress, cache.get(progress_key(batch.id)) or 0)
    return batch.progress
