"""Every state change of a ledger import: upload, check (preview), confirm, import, undo, and failing
batches whose worker vanished.

The check and the import run in tasks (``CHECK_TASK``, ``IMPORT_TASK``; inline without a broker) that
claim their batch with a conditional UPDATE, so a redelivered message does nothing twice. The import
re-reads and re-checks the stored file inside its one transaction: the database may have changed since
the preview, and a file with any error imports nothing.
"""

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from core.tasks import enqueue_on_commit
from core.uploads import generated_name
from imports import reception, roster, suggestion_ledger
from imports.duty_ledgers import activities, grid_duties, voter_contacts
from imports.models import BatchStatus, ImportBatch, LedgerKind
from imports.reading import CellError, LedgerUnreadable, check_package, read_sheet
from imports.selectors import PROGRESS_TTL, progress_key
from imports.workbook import template
from organisation.desk import desk_stations

logger = logging.getLogger(__name__)

CHECK_TASK = "imports.check_batch"
IMPORT_TASK = "imports.import_batch"
# The dashboards' and statistics' summary tables, rebuilt at once after an import or its undo (rather than
# at the next scheduled refresh), so that a past year just imported shows in its figures.
REFRESH_STATISTICS_TASK = "reports.refresh_statistics"
IMPORT_ROLES = (Role.STATION_STAFF, Role.OFFICE, Role.ADMIN)
MAX_STORED_ERRORS = 1000
# The ledger kinds the product reads, each a module with the same interface (see ``imports.reception``):
# ``KIND``, ``columns()``, ``check(rows, *, actor, errors)`` yielding chunks of plans, ``write(chunk, *,
# batch, actor)``, ``undo(batch)``, ``undo_blockers(batch)`` and, optionally, ``template_lists(actor)`` (the
# template's drop-down lists by column; the actor's stations when a kind has none of its own) and ``ROLES``
# (who may import that kind; ``IMPORT_ROLES`` when a kind does not say).
KINDS = {
    LedgerKind.RECEPTION: reception,
    LedgerKind.SUGGESTIONS: suggestion_ledger,
    LedgerKind.DEPUTIES: roster,
    LedgerKind.GRID_DUTIES: grid_duties,
    LedgerKind.VOTER_CONTACTS: voter_contacts,
    LedgerKind.ACTIVITIES: activities,
}


def kind_choices(user=None) -> list[tuple[str, str]]:
    """The ledger kinds offered for upload, in the order ``LedgerKind`` lists them (those ``user`` may import)."""
    return [
        (value, label)
        for value, label in LedgerKind.choices
        if value in KINDS and (user is None or may_import_kind(user, value))
    ]


def may_import(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_role(*IMPORT_ROLES))


IMPORT_REFUSED = gettext_lazy("Only station staff and the office import ledgers.")


KIND_REFUSED = gettext_lazy("Only the office imports this kind of ledger.")


def may_import_kind(user, kind: str) -> bool:
    roles = getattr(KINDS[kind], "ROLES", IMPORT_ROLES)
    return may_import(user) and user.has_role(*roles)


def _require(user, kind: str | None = None) -> None:
    if not may_import(user):
        raise PermissionRefused(IMPORT_REFUSED)
    if kind in KINDS and not may_import_kind(user, kind):
        raise PermissionRefused(KIND_REFUSED)


def ledger_template(*, kind: str, actor) -> bytes:
    """The .xlsx template of ``kind``, with the actor's stations in the station drop-down."""
    _require(actor, kind)
    module = KINDS[kind]
    with translation.override("zh-hans"):
        title = str(LedgerKind(kind).label)
        if hasattr(module, "template_lists"):
            lists = module.template_lists(actor)
        else:
            lists = {"station": list(desk_stations(actor).order_by("name").values_list("name", flat=True))}
        return template(title=title, sheet_title="台账", columns=module.columns(), lists=lists)


@transaction.atomic
def batch_upload(*, actor, kind: str, upload) -> ImportBatch:
    """Store an uploaded ledger and queue its check; nothing else is written until the user confirms."""
    _require(actor)
    if kind not in KINDS:
        raise ValidationError({"kind": [_("Unknown ledger kind.")]})
    _require(actor, kind)
    if upload is None:
        raise ValidationError({"file": [_("Choose the ledger file.")]})
    data = upload.read()
    try:
        check_package(data)
    except LedgerUnreadable as exc:
        raise ValidationError({"file": [exc.message]}) from None
    name = (getattr(upload, "name", "") or "ledger.xlsx")[-200:]
    batch = ImportBatch(kind=kind, file_name=name, sha256=hashlib.sha256(data).hexdigest(), created_by=actor)
    batch.file.save(generated_name("xlsx"), ContentFile(data), save=False)
    batch.save()
    enqueue_on_commit(CHECK_TASK, batch.id)
    return batch


def _claim(batch_id: int, source: str, target: str) -> bool:
    now = clock.now()
    stale = now - stale_after()
    claimable = Q(status=source) | Q(status=target, heartbeat_at__lt=stale)
    return ImportBatch.objects.filter(claimable, id=batch_id).update(status=target, progress=1, heartbeat_at=now) == 1


def _progress_reporter(batch_id: int):
    """A callback ``report(done, total)`` that publishes the batch's progress where the page can read it.

    Outside a transaction (the check) it is written to the batch row. Inside the import's one transaction
    the row is locked and its changes invisible until the end, so progress goes to the shared cache
    (Redis when configured; ``selectors.batch_progress`` reads it back).
    """

    def report(done: int, total: int) -> None:
        percent = max(1, min(99, int(done * 100 / max(total, 1))))
        if connection.in_atomic_block:
            cache.set(progress_key(batch_id), percent, timeout=PROGRESS_TTL)
        else:
            ImportBatch.objects.filter(id=batch_id).update(progress=percent, heartbeat_at=clock.now())

    return report


@dataclass
class Tally:
    """What a pass over a ledger found: counts by action, the problems, the sheet read."""

    sheet: str = ""
    rows: int = 0
    actions: Counter = field(default_factory=Counter)
    errors: list[CellError] = field(default_factory=list)

    def fields(self) -> dict:
        return {
            "sheet": self.sheet[:100],
            "rows_total": self.rows,
            "created_count": self.actions["create"],
            "updated_count": self.actions["update"],
            "unchanged_count": self.actions["unchanged"],
            "error_count": len(self.errors),
            "errors": [error.as_dict() for error in self.errors[:MAX_STORED_ERRORS]],
        }


def _passes(batch: ImportBatch, tally: Tally, progress):
    """The batch's plans, a chunk at a time, streamed from its stored file; ``tally`` counts as they go."""
    module = KINDS[batch.kind]
    with batch.file.open("rb") as handle:
        data = handle.read()
    sheet = read_sheet(data, module.columns())
    tally.sheet = sheet.title

    def counted(rows):
        for row in rows:
            tally.rows += 1
            yield row

    for chunk in module.check(counted(sheet.rows), actor=batch.created_by, errors=tally.errors):
        tally.actions.update(plan.action for plan in chunk)
        yield chunk
        progress(tally.rows, sheet.size)


def batch_release(*, batch_id: int) -> None:
    """Put a check back to pending before its task is retried."""
    ImportBatch.objects.filter(id=batch_id, status=BatchStatus.CHECKING).update(status=BatchStatus.PENDING)


def _unreadable(batch_id: int, exc: LedgerUnreadable) -> None:
    ImportBatch.objects.filter(id=batch_id).update(
        status=BatchStatus.INVALID,
        progress=100,
        error_count=1,
        errors=[{"sheet": "", "row": 0, "column": "", "message": exc.message}],
        finished_at=clock.now(),
    )


def batch_check(*, batch_id: int) -> bool:
    """Read and check the batch's file (the preview), writing nothing else; False when another run has it."""
    if not _claim(batch_id, BatchStatus.PENDING, BatchStatus.CHECKING):
        return False
    batch = ImportBatch.objects.select_related("created_by").get(id=batch_id)
    tally = Tally()
    try:
        with translation.override(settings.LANGUAGE_CODE):  # the problems are stored
            for _chunk in _passes(batch, tally, _progress_reporter(batch_id)):
                pass
    except LedgerUnreadable as exc:
        _unreadable(batch_id, exc)
        return True
    status = BatchStatus.INVALID if tally.errors else BatchStatus.READY
    ImportBatch.objects.filter(id=batch_id).update(status=status, progress=100, **tally.fields())
    return True


@transaction.atomic
def batch_confirm(*, batch: ImportBatch, actor) -> ImportBatch:
    """Import a batch that checked clean: queue the import (one transaction, all or nothing)."""
    _require(actor)
    batch = ImportBatch.objects.select_for_update().get(id=batch.id)
    _require(actor, batch.kind)
    if batch.created_by_id != actor.id and not actor.has_role(Role.OFFICE, Role.ADMIN):
        raise PermissionRefused(_("Only the person who uploaded the ledger, or the office, may import it."))
    if batch.status != BatchStatus.READY:
        raise ActionRefused(_("Only a ledger that was checked without errors can be imported."), code="not_ready")
    if batch.created_count == 0 and batch.updated_count == 0:
        raise ActionRefused(_("Every row of this ledger is already in the product."), code="nothing_to_import")
    batch.status = BatchStatus.IMPORTING
    batch.progress = 1
    batch.confirmed_at = clock.now()
    batch.heartbeat_at = batch.confirmed_at
    batch.save(update_fields=["status", "progress", "confirmed_at", "heartbeat_at"])
    enqueue_on_commit(IMPORT_TASK, batch.id)
    return batch


class _Abort(Exception):
    """Raised inside the import's transaction to roll it back when a row no longer checks."""


def batch_import(*, batch_id: int) -> str:
    """Carry out a confirmed batch in one transaction; a row that no longer checks aborts it all.

    The file is read again and every row checked again as it is written (the database may have changed
    since the preview). At the first problem writing stops, the rest is still checked so that every
    problem is reported, and the transaction is rolled back: nothing of the file is imported.
    """
    now = clock.now()
    claimed = ImportBatch.objects.filter(id=batch_id, status=BatchStatus.IMPORTING).update(heartbeat_at=now)
    if not claimed:
        return "not importing"
    batch = ImportBatch.objects.select_related("created_by").get(id=batch_id)
    module = KINDS[batch.kind]
    tally = Tally()
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):  # the notes are stored
            locked = ImportBatch.objects.select_for_update().get(id=batch_id)
            if locked.status != BatchStatus.IMPORTING:
                return "already done"
            for chunk in _passes(batch, tally, _progress_reporter(batch_id)):
                if not tally.errors:
                    module.write(chunk, batch=batch, actor=batch.created_by)
            if tally.errors:
                raise _Abort
            ImportBatch.objects.filter(id=batch_id).update(
                status=BatchStatus.IMPORTED, progress=100, finished_at=clock.now(), **tally.fields()
            )
            enqueue_on_commit(REFRESH_STATISTICS_TASK)
    except _Abort:
        ImportBatch.objects.filter(id=batch_id).update(status=BatchStatus.INVALID, progress=100, **tally.fields())
        return "invalid"
    except LedgerUnreadable as exc:
        _fail(batch_id, exc.message)
        return "failed"
    finally:
        cache.delete(progress_key(batch_id))
    return "imported"


def _fail(batch_id: int, reason: str) -> None:
    ImportBatch.objects.filter(id=batch_id).exclude(status=BatchStatus.IMPORTED).update(
        status=BatchStatus.FAILED, failure=reason, progress=100, finished_at=clock.now()
    )


def batch_fail(*, batch_id: int, reason: str) -> None:
    """End a batch whose task failed for good (the reason is shown on its page); nothing was imported."""
    _fail(batch_id, reason)


@transaction.atomic
def batch_undo(*, batch: ImportBatch, actor) -> ImportBatch:
    """Remove what an import created and restore what it corrected, while nothing has been built on it."""
    _require(actor)
    batch = ImportBatch.objects.select_for_update().get(id=batch.id)
    _require(actor, batch.kind)
    if batch.created_by_id != actor.id and not actor.has_role(Role.OFFICE, Role.ADMIN):
        raise PermissionRefused(_("Only the person who imported the ledger, or the office, may undo it."))
    if batch.status != BatchStatus.IMPORTED:
        raise ActionRefused(_("Only an imported ledger can be undone."), code="not_imported")
    module = KINDS[batch.kind]
    blockers = module.undo_blockers(batch)
    if blockers:
        raise ActionRefused(" ".join(blockers), code="built_upon")
    module.undo(batch)
    enqueue_on_commit(REFRESH_STATISTICS_TASK)
    batch.status = BatchStatus.UNDONE
    batch.undone_at = clock.now()
    batch.undone_by = actor
    batch.save(update_fields=["status", "undone_at", "undone_by"])
    return batch


def stale_after() -> timedelta:
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def batches_fail_stale() -> int:
    """Fail the batches whose worker vanished mid-check or mid-import (nothing of an import was committed)."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("The import stopped without finishing (the worker was lost); nothing was imported.")
    return ImportBatch.objects.filter(
        status__in=[BatchStatus.CHECKING, BatchStatus.IMPORTING], heartbeat_at__lt=clock.now() - stale_after()
    ).update(status=BatchStatus.FAILED, failure=reason, progress=100, finished_at=clock.now())
