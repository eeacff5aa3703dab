"""Celery tasks of the reports app: thin, they take ids (see ``reports.generation``)."""

import logging

from django.utils import translation
from django.utils.translation import gettext as _

from notifications.background import TRANSIENT_ERRORS, reliable_task
from reports import generation, services
from reports.models import JobStatus, ReportJob
from reports.pdf.render import PDF_LANGUAGE

logger = logging.getLogger(__name__)


@reliable_task(name="reports.generate_report")
def generate_report(self, job_id: int) -> str:
    """Print report job ``job_id``: claim it (pending → running), render, store the file (→ done).

    Safe to run twice: only the run that claims the job works on it. Every failure,
    including the soft time limit, ends the job as ``failed`` with a readable reason;
    a transient database error puts it back to pending and retries with backoff.
    """
    if not services.job_claim(job_id=job_id):
        return "not claimed"
    job = ReportJob.objects.get(id=job_id)
    try:
        generation.run_job(job)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            ReportJob.objects.filter(id=job_id, status=JobStatus.RUNNING).update(status=JobStatus.PENDING)
            raise
        with translation.override(PDF_LANGUAGE):
            services.job_fail(job_id=job_id, reason=_("The database was unavailable: %(error)s") % {"error": exc})
        return "failed"
    except BaseException as exc:  # SoftTimeLimitExceeded derives from Exception; keep KeyboardInterrupt too
        logger.exception("Report job %s failed", job_id)
        soft_limit = (self.request.timelimit or (None, None))[1]
        services.job_fail(job_id=job_id, reason=generation.failure_reason(exc, soft_time_limit=soft_limit))
        if not isinstance(exc, Exception):
            raise
        return "failed"
    return "done"
