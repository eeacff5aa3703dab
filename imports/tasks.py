"""Ledger imports in the background: tasks take a batch id (see ``imports.services``).

A transient database error is retried (the check is put back to pending first; an import simply runs
again, its transaction having rolled back); any other failure ends the batch as failed with a reason.
"""

import logging

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from core.tasks import TRANSIENT_ERRORS, periodic_task, reliable_task
from imports import services

logger = logging.getLogger(__name__)


def _fail(batch_id: int, message) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        services.batch_fail(batch_id=batch_id, reason=str(message()))


@reliable_task(name=services.CHECK_TASK)
def check_batch(self, batch_id: int) -> bool:
    try:
        return services.batch_check(batch_id=batch_id)
    except TRANSIENT_ERRORS:
        connection.close()
        if self.request.retries < self.max_retries and not self.request.is_eager:
            services.batch_release(batch_id=batch_id)
            raise
        _fail(batch_id, lambda: _("The database was unavailable; upload the ledger again."))
        return False
    except Exception:
        logger.exception("Checking ledger batch %s failed", batch_id)
        _fail(batch_id, lambda: _("The ledger could not be checked (an internal error)."))
        return False


@reliable_task(name=services.IMPORT_TASK)
def import_batch(self, batch_id: int) -> str:
    try:
        return services.batch_import(batch_id=batch_id)
    except TRANSIENT_ERRORS:
        connection.close()
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise
        _fail(batch_id, lambda: _("The database was unavailable; nothing was imported."))
        return "failed"
    except Exception:
        logger.exception("Importing ledger batch %s failed", batch_id)
        _fail(batch_id, lambda: _("The import failed (an internal error); nothing was imported."))
        return "failed"


@periodic_task(name="imports.fail_stale_batches")
def fail_stale_batches() -> dict:
    return {"failed": services.batches_fail_stale()}
