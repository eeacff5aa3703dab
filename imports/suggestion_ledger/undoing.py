"""Undoing a suggestion-ledger import: the suggestions it created are removed and those it corrected are put
back as they were, while nothing has been built on them in the product."""

from django.db.models import Q
from django.utils.translation import gettext as _

from imports.models import ImportBatch, ImportedRecord
from imports.suggestion_ledger.writing import ADDED_ROWS
from suggestions.models import Reply, Suggestion, SuggestionEvent


def undo_blockers(batch: ImportBatch) -> list[str]:
    """Why the batch cannot be undone now (empty when it can): what has been built on its suggestions since."""
    reasons = []
    created = ImportedRecord.objects.filter(batch=batch)
    touched = ImportedRecord.objects.filter(Q(batch=batch) | Q(updated_by_batch=batch))
    if created.filter(updated_by_batch__isnull=False).exclude(updated_by_batch=batch).exists():
        reasons.append(_("A later import changed some of its records; undo that import first."))
    suggestion_ids = touched.exclude(suggestion=None).values("suggestion_id")
    after = batch.finished_at or batch.confirmed_at
    handled_since = Q(at__gt=after) | Q(entered_at__gt=after)  # a later step, or one back-recorded since
    if after and SuggestionEvent.objects.filter(handled_since, suggestion_id__in=suggestion_ids).exists():
        reasons.append(_("Some of its suggestions have been handled in the product since."))
    linked = Q(topics__isnull=False) | Q(livelihood_candidates__isnull=False)
    if Suggestion.objects.filter(linked, id__in=suggestion_ids).exists():
        reasons.append(_("Some of its suggestions are linked to topics or livelihood projects."))
    return reasons


def undo(batch: ImportBatch) -> None:
    """Remove the suggestions ``batch`` created and restore those it corrected (caller's transaction, checked first)."""
    for record in ImportedRecord.objects.filter(updated_by_batch=batch).exclude(batch=batch).select_for_update():
        _restore(record)
    created = ImportedRecord.objects.filter(batch=batch)
    suggestion_ids = list(created.exclude(suggestion=None).values_list("suggestion_id", flat=True))
    created.delete()
    # The timeline is append-only in the product; removing an import removes the suggestions whole.
    SuggestionEvent.objects.filter(suggestion_id__in=suggestion_ids).delete()
    Suggestion.objects.filter(id__in=suggestion_ids).delete()


def _restore(record: ImportedRecord) -> None:
    previous = record.previous or {}
    suggestion = Suggestion.objects.select_for_update().get(id=record.suggestion_id)
    for name in ADDED_ROWS:
        getattr(suggestion, name).filter(id__gt=previous["highest"][name]).delete()
    fields = {f.attname: f for f in Suggestion._meta.concrete_fields}
    for name, value in previous["suggestion"].items():
        setattr(suggestion, name, None if value is None else fields[name].to_python(value))
    suggestion.save()
    for reply_id, content in previous["replies"].items():
        Reply.objects.filter(id=int(reply_id), suggestion=suggestion).update(content=content)
    record.fingerprint = previous["fingerprint"]
    record.sheet = previous["sheet"]
    record.row = previous["row"]
    record.updated_by_batch_id = previous["batch"]
    record.previous = None
    record.save(update_fields=["fingerprint", "sheet", "row", "updated_by_batch", "previous"])
