"""How the product's tasks are declared and queued.

* ``reliable_task``: every task retries transient database errors with exponential backoff and full
  jitter, acknowledges late and is requeued when its worker dies; the task must therefore be safe to
  run twice (it claims its work with a unique row or a conditional UPDATE).
* ``periodic_task``: a reliable task that also records each run in ``TaskRun`` for the status page.
* ``enqueue_on_commit``: queue a task once the caller's transaction has committed; if the broker is
  unreachable the web request still succeeds, because the work is in the database and a periodic
  sweep picks it up.
"""

import logging
import socket
import traceback

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from notifications import clock
from notifications.models import TaskRun, TaskRunStatus

logger = logging.getLogger(__name__)

# Errors worth retrying: the database restarted or a connection dropped. Anything else is a bug or
# bad data, and retrying it would only repeat the failure.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def reliable_task(*, name: str, **options):
    """``shared_task`` with the project's retry policy (see CELERY_* settings for the limits)."""
    defaults = {
        "name": name,
        "bind": True,
        "acks_late": True,
        "reject_on_worker_lost": True,
        "autoretry_for": TRANSIENT_ERRORS,
        "retry_backoff": settings.TASK_RETRY_BACKOFF,
        "retry_backoff_max": settings.TASK_RETRY_BACKOFF_MAX,
        "retry_jitter": True,
        "max_retries": settings.TASK_MAX_RETRIES,
    }
    defaults.update(options)
    return shared_task(**defaults)


def periodic_task(*, name: str, **options):
    """A reliable task run by the beat; each run is recorded in ``TaskRun`` (started, finished, failed).

    The decorated function takes no ``self`` and returns a small JSON-able summary dict.
    """

    def decorate(function):
        def run(self, *args, **kwargs):
            record = TaskRun.objects.create(
                task_name=name,
                task_id=self.request.id or "",
                worker=self.request.hostname or socket.gethostname(),
                started_at=clock.now(),
            )
            try:
                summary = function(*args, **kwargs) or {}
            except Exception as exc:
                error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                TaskRun.objects.filter(pk=record.pk).update(
                    status=TaskRunStatus.FAILED, finished_at=clock.now(), error=error[:4000]
                )
                raise
            TaskRun.objects.filter(pk=record.pk).update(
                status=TaskRunStatus.SUCCEEDED, finished_at=clock.now(), summary=summary
            )
            return summary

        run.__name__ = function.__name__
        run.__qualname__ = function.__qualname__
        run.__module__ = function.__module__
        run.__doc__ = function.__doc__
        return reliable_task(name=name, **options)(run)

    return decorate


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue ``task`` with these (id) arguments after the current transaction commits.

    A broker outage is logged, not raised: the caller's work is committed and a periodic sweep
    (``notifications.deliver_pending``) finds what was not queued.
    """

    def publish():
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except (KombuError, RedisError, OSError) as exc:
            logger.warning("Could not queue %s (%s); the periodic sweep will pick the work up.", task.name, exc)

    transaction.on_commit(publish)
