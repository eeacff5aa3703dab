"""Celery tasks of the reports app: thin, they take ids (see ``reports.generation``)."""

import logging

from django.db import close_old_connections, connection
from django.utils import translation
from django.utils.translation import gettext as _

from core.tasks import TRANSIENT_ERRORS, periodic_task, reliable_task, statement_timed_out, statement_timeout_seconds
from reports import generation, services
from reports.models import ReportJob
from reports.pdf.render import PDF_LANGUAGE

logger = logging.getLogger(__name__)


@reliable_task(name=services.GENERATE_REPORT_TASK)
def generate_report(self, job_id: int) -> str:
    """Print report job ``job_id``: claim it (pending → running), render, store the file (→ done).

    Safe to run twice: only the run that claims the job works on it. A message redelivered
    after its worker process died, or retried after a dropped database connection, carries the
    same task id and resumes the job. Every other failure, including the soft time limit, ends
    the job as ``failed`` with a readable reason.
    """
    task_id = self.request.id or ""
    if not services.job_claim(job_id=job_id, task_id=task_id):
        return "not claimed"
    job = ReportJob.objects.get(id=job_id)
    try:
        generation.run_job(job)
    except TRANSIENT_ERRORS as exc:
        if statement_timed_out(exc):
            # A statement ran past the task's limit and PostgreSQL cancelled it: running it again would too.
            with translation.override(PDF_LANGUAGE):
                services.job_fail(
                    job_id=job_id,
                    reason=_("A database query took longer than %(seconds)s seconds and was stopped.")
                    % {"seconds": statement_timeout_seconds(self)},
                )
            return "failed"
        # The connection that raised is dead (database restarted, backend terminated): drop it so the
        # next query opens a fresh one.
        connection.close()
        close_old_connections()
        if self.request.retries < self.max_retries and not self.request.is_eager:
            try:
                services.job_release(job_id=job_id, task_id=task_id)
            except TRANSIENT_ERRORS:  # still down: the retry resumes the job all the same (same task id)
                connection.close()
                logger.warning("Report job %s stays running until its retry; the database is unavailable", job_id)
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


@periodic_task(name="reports.fail_stale_jobs")
def fail_stale_jobs() -> dict:
    """Fail running jobs whose worker vanished (``services.jobs_fail_stale``) and queue again pending jobs
    whose message was lost (``services.jobs_requeue_lost``), so nobody waits on them for ever."""
    return {"failed": services.jobs_fail_stale(), "requeued": services.jobs_requeue_lost()}


@periodic_task(name="reports.refresh_statistics")
def refresh_statistics() -> dict:
    """Rebuild the summary tables of the dashboards and statistics (``reports.summaries``)."""
    return services.statistics_refresh()
