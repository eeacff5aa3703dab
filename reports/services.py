"""Every state change of the reports app: report jobs and point weights."""

import logging
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from core.errors import PermissionRefused
from core.roles import Role
from core.tasks import enqueue, enqueue_detached
from reports import access
from reports.models import JobStatus, PointItem, PointWeight, PointWeightChange, ReportJob, ReportKind

logger = logging.getLogger(__name__)

EARLIEST_YEAR = 2000
# The task that prints a job (``reports.tasks.generate_report``), queued by name.
GENERATE_REPORT_TASK = "reports.generate_report"


def _validate_request(*, kind: str, subject_id, year) -> None:
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = _("Unknown kind of report.")
    current = clock.today().year
    if not isinstance(year, int) or not EARLIEST_YEAR <= year <= current:
        errors["year"] = _("Choose a year between %(first)s and %(last)s.") % {"first": EARLIEST_YEAR, "last": current}
    if kind in (ReportKind.DEPUTY_ANNUAL, ReportKind.STATION_ANNUAL) and subject_id is None:
        errors["subject"] = _("Choose whom or what the report is about.")
    if kind == ReportKind.STREET_ANNUAL and subject_id is not None:
        errors["subject"] = _("The street report covers the whole street; leave the subject empty.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_job_request(*, user, kind: str, subject_id: int | None, year: int) -> ReportJob:
    """Queue a report for ``user``: checks the request, saves a pending job, starts the task after commit.

    A deputy may print only their own annual report; the office, leaders and admins
    may print any report. Raises ``ValidationError`` on bad input (nothing written),
    ``PermissionRefused`` when this user may not print this report, and
    ``access.SubjectNotFound`` when the subject does not exist or is not visible.
    """
    _validate_request(kind=kind, subject_id=subject_id, year=year)
    if not access.can_request(user, kind=kind, subject_id=subject_id):
        raise PermissionRefused(_("You may not print this report."))
    title = access.describe_subject(kind=kind, subject_id=subject_id, year=year, user=user)
    job = ReportJob.objects.create(kind=kind, subject_id=subject_id, year=year, title=title, requested_by=user)
    transaction.on_commit(lambda: _enqueue(job.id))
    return job


def _enqueue(job_id: int) -> None:
    # Without a broker the job runs in a background thread, not in the request: the job page answers at
    # once and shows the progress the generation code records, as it does with workers.
    try:
        enqueue_detached(GENERATE_REPORT_TASK, job_id)
    except Exception as exc:  # the broker is down: say so instead of leaving the job pending forever
        logger.exception("Could not queue report job %s", job_id)
        job_fail(job_id=job_id, reason=_("The report could not be queued: %(error)s") % {"error": exc})


def job_claim(*, job_id: int, task_id: str = "") -> bool:
    """Move a job to running for the task run ``task_id``; False when another run has it or it is finished.

    Claimable: a pending job; a running job claimed by the same ``task_id`` (the message was
    redelivered after its worker process died, or the task retried after a dropped database
    connection: both carry the task id of the run that claimed it); a running job whose heartbeat
    is older than the hard time limit (its worker is gone). The hard time limit is below the
    broker's visibility timeout, so the same message never runs twice at once.
    """
    now = clock.now()
    stale = now - stale_after()
    claimable = Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale)
    if task_id:
        claimable |= Q(status=JobStatus.RUNNING, task_id=task_id)
    return (
        ReportJob.objects.filter(claimable, id=job_id).update(
            status=JobStatus.RUNNING, progress=1, started_at=now, heartbeat_at=now, error="", task_id=task_id
        )
        == 1
    )


def job_release(*, job_id: int, task_id: str) -> bool:
    """Put a job claimed by ``task_id`` back to pending (before a retry); False if it is no longer its run's."""
    return (
        ReportJob.objects.filter(id=job_id, status=JobStatus.RUNNING, task_id=task_id).update(status=JobStatus.PENDING)
        == 1
    )


def job_progress(*, job_id: int, progress: int, note: str | None = None) -> None:
    """Raise a running job's progress (never lowers it), record a heartbeat and, when given, what it is doing."""
    progress = max(0, min(99, int(progress)))
    now = clock.now()
    changes = {"heartbeat_at": now} if note is None else {"heartbeat_at": now, "progress_note": note[:200]}
    ReportJob.objects.filter(id=job_id, status=JobStatus.RUNNING).update(**changes)
    ReportJob.objects.filter(id=job_id, status=JobStatus.RUNNING, progress__lt=progress).update(progress=progress)


@transaction.atomic
def job_finish(*, job_id: int, path, filename: str, pages: int) -> bool:
    """Attach the rendered file and mark the job done; False if the job is no longer running."""
    job = ReportJob.objects.select_for_update().get(id=job_id)
    if job.status != JobStatus.RUNNING:
        return False
    with open(path, "rb") as handle:
        job.file.save(filename, File(handle), save=False)
    job.status = JobStatus.DONE
    job.progress = 100
    job.progress_note = ""
    job.pages = pages
    job.finished_at = job.heartbeat_at = clock.now()
    job.save(update_fields=["file", "status", "progress", "progress_note", "pages", "finished_at", "heartbeat_at"])
    return True


def job_fail(*, job_id: int, reason: str) -> bool:
    """End an unfinished job as failed with a readable reason; False if it had already finished."""
    reason = (reason or _("Unknown error.")).strip()[:2000]
    now = clock.now()
    return (
        ReportJob.objects.filter(id=job_id, status__in=[JobStatus.PENDING, JobStatus.RUNNING]).update(
            status=JobStatus.FAILED, error=reason, finished_at=now, heartbeat_at=now
        )
        == 1
    )


def stale_after() -> timedelta:
    """How long a running job may go without a heartbeat: the hard time limit plus a margin."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def job_fail_if_stale(job: ReportJob) -> ReportJob:
    """Fail ``job`` if its worker vanished (see ``jobs_fail_stale``) and return it fresh."""
    if job.status == JobStatus.RUNNING and jobs_fail_stale(job_ids=[job.id]):
        job.refresh_from_db()
    return job


def jobs_fail_stale(*, job_ids: list[int] | None = None) -> int:
    """Fail every running job whose worker vanished (killed at the hard limit, machine lost); returns how many.

    A running job refreshes its heartbeat with each progress step; one without a heartbeat for
    longer than the hard time limit has no live task left. Run by the beat
    (``reports.fail_stale_jobs``) and before the job list and a job's page are read, so the list
    and the detail always agree. One UPDATE.
    """
    jobs = ReportJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=clock.now() - stale_after())
    if job_ids is not None:
        jobs = jobs.filter(id__in=job_ids)
    with translation.override(settings.LANGUAGE_CODE):  # stored, so in the site's language
        reason = _("The report stopped without finishing (the worker was lost).")
    now = clock.now()
    return jobs.update(status=JobStatus.FAILED, error=reason, finished_at=now, heartbeat_at=now)


def jobs_requeue_lost(*, limit: int = 100) -> int:
    """Queue again the pending jobs whose message was lost (Redis restarted without its data); returns how many.

    A job pending for longer than the hard time limit plus a margin (since its request or its
    last release) is queued once more, after commit; its time is refreshed so the next sweep waits
    again. A duplicate message is harmless: only one run claims the job.
    """
    cutoff = clock.now() - stale_after()
    with transaction.atomic():
        jobs = list(
            ReportJob.objects.select_for_update(skip_locked=True)
            .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff))
            .filter(status=JobStatus.PENDING)
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        ReportJob.objects.filter(id__in=jobs).update(heartbeat_at=clock.now())
        for job_id in jobs:
            transaction.on_commit(lambda job_id=job_id: _requeue(job_id))
    return len(jobs)


def _requeue(job_id: int) -> None:
    try:
        enqueue(GENERATE_REPORT_TASK, job_id)
    except Exception:  # the broker is down again: the next sweep tries again
        logger.warning("Could not queue report job %s again; the next sweep will try", job_id)


# --- Point weights ---------------------------------------------------------------------------------


@transaction.atomic
def point_weights_update(*, actor, weights: dict[str, object]) -> list[PointWeightChange]:
    """Set the points of each item; only the office and admins may; every change is recorded.

    ``weights`` maps item values to numbers (strings accepted). Raises
    ``ValidationError`` (item → message) and writes nothing when any value is bad.
    """
    if not actor.has_role(Role.OFFICE, Role.ADMIN):
        raise PermissionRefused(_("Only the suggestion office may change the point weights."))
    errors, parsed = {}, {}
    for item, raw in weights.items():
        if item not in PointItem.values:
            errors[item] = _("Unknown item.")
            continue
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors[item] = _("Enter a number.")
            continue
        if not Decimal(0) <= value <= Decimal(1000):
            errors[item] = _("A weight is between 0 and 1000 points.")
            continue
        parsed[item] = value
    if errors:
        raise ValidationError(errors)
    current = {w.item: w for w in PointWeight.objects.select_for_update().filter(item__in=parsed)}
    from reports.metrics import point_weights

    effective = point_weights()
    changes = []
    for item, value in parsed.items():
        old = effective[item]
        if old == value:
            continue
        row = current.get(item) or PointWeight(item=item)
        row.weight = value
        row.updated_by = actor
        row.save()
        changes.append(PointWeightChange(item=item, old_weight=old, new_weight=value, changed_by=actor))
    PointWeightChange.objects.bulk_create(changes)
    return changes


def statistics_refresh() -> dict:
    """Rebuild the dashboards' and statistics' summary tables from scratch (``reports.summaries``)."""
    from reports import summaries

    return summaries.refresh()
