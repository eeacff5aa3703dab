"""Undoing an import: what it created is removed, what it corrected is restored, while nothing was built on it."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from imports.models import ImportBatch, ImportedRecord
from imports.reception.columns import (
    CHUNK,
)
from liaison.models import (
    Opinion,
    OpinionEvent,
    OpinionEventKind,
    OpinionOutcome,
    ReferralFeedback,
    Visit,
    VisitConstituent,
)

# --- Undo -----------------------------------------------------------------------------------------


def undo_blockers(batch: ImportBatch) -> list[str]:
    """Why the batch cannot be undone now (empty when it can): what has been built on its records since."""
    reasons = []
    created = ImportedRecord.objects.filter(batch=batch)
    touched = ImportedRecord.objects.filter(Q(batch=batch) | Q(updated_by_batch=batch))
    # A record created or corrected by this batch and corrected again by a later one (its correction's
    # snapshot, or the snapshot before it, names this batch): the later import is undone first.
    corrected_later = Q(previous__batch=batch.id) | Q(previous__previous__batch=batch.id)
    if (
        created.filter(updated_by_batch__isnull=False).exclude(updated_by_batch=batch).exists()
        or ImportedRecord.objects.filter(corrected_later).exclude(updated_by_batch=batch).exists()
    ):
        reasons.append(_("A later import changed some of its records; undo that import first."))
    opinion_ids = touched.exclude(opinion=None).values("opinion_id")
    if Opinion.objects.filter(id__in=opinion_ids, outcome=OpinionOutcome.ESCALATED).exists():
        reasons.append(_("Some of its opinions became suggestions."))
    if ReferralFeedback.objects.filter(opinion_id__in=opinion_ids).exists():
        reasons.append(_("Units have reported back on some of its opinions."))
    after = batch.finished_at or batch.confirmed_at
    handled_since = Q(at__gt=after) | Q(entered_at__gt=after)  # a later step, or one back-recorded since
    if after and OpinionEvent.objects.filter(handled_since, opinion_id__in=opinion_ids).exists():
        reasons.append(_("Some of its opinions have been handled in the product since."))
    return reasons


def undo(batch: ImportBatch) -> None:
    """Remove the records ``batch`` created and restore those it updated (caller's transaction, checked first)."""
    for record in ImportedRecord.objects.filter(updated_by_batch=batch).exclude(batch=batch).select_for_update():
        _restore(record)
    created = ImportedRecord.objects.filter(batch=batch)
    opinion_ids = list(created.exclude(opinion=None).values_list("opinion_id", flat=True))
    visit_ids = list(created.exclude(visit=None).values_list("visit_id", flat=True))
    created.delete()
    for start in range(0, max(len(opinion_ids), len(visit_ids)), CHUNK):
        opinions = opinion_ids[start : start + CHUNK]
        visits = visit_ids[start : start + CHUNK]
        OpinionEvent.objects.filter(opinion_id__in=opinions).delete()
        Opinion.objects.filter(id__in=opinions).delete()
        VisitConstituent.objects.filter(visit_id__in=visits).delete()
        Visit.deputies.through.objects.filter(visit_id__in=visits).delete()
        Visit.objects.filter(id__in=visits).delete()


def _restore(record: ImportedRecord) -> None:
    previous = record.previous or {}
    visit = Visit.objects.select_for_update().get(id=record.visit_id)
    opinion = Opinion.objects.select_for_update().get(id=record.opinion_id)
    for name, value in previous["visit"].items():
        setattr(visit, name, dt.date.fromisoformat(value) if name == "date" else value)
    visit.save(update_fields=list(previous["visit"]))
    visit.deputies.set(previous["deputies"])
    visit.constituents.all().delete()
    VisitConstituent.objects.bulk_create(
        [VisitConstituent(visit=visit, **person) for person in previous["constituents"]]
    )
    for name, value in previous["opinion"].items():
        if value and name in ("outcome_at", "resolved_at"):
            value = dt.datetime.fromisoformat(value)
        elif value and name == "received_on":
            value = dt.date.fromisoformat(value)
        setattr(opinion, name, value)
    opinion.contact_name = previous["contact_name"]
    opinion.save(update_fields=[*previous["opinion"], "contact_name"])
    OpinionEvent.objects.create(opinion=opinion, kind=OpinionEventKind.NOTE, note=_("Ledger correction undone."))
    record.fingerprint = previous["fingerprint"]
    record.sheet = previous["sheet"]
    record.row = previous["row"]
    record.updated_by_batch_id = previous["batch"]
    record.previous = previous.get("previous")
    record.save(update_fields=["fingerprint", "sheet", "row", "updated_by_batch", "previous"])
