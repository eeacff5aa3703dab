"""How the product's tasks are declared and queued.

* ``reliable_task``: every task retries transient database errors with exponential backoff and full
  jitter, acknowledges late and is requeued when its worker dies; the task must therefore be safe to
  run twice (it claims its work with a unique row or a conditional UPDATE).
* ``periodic_task``: a reliable task that also records each run in the run log (the notifications
  app's ``TaskRun``, registered through ``keep_run_log``) for the status page.
* ``enqueue_on_commit``: queue a task once the caller's transaction has committed; if the broker is
  unreachable the web request still succeeds, because the work is in the database and a periodic
  sweep picks it up.
* ``enqueue``: queue a task now; the caller decides what a broker outage means.
* ``enqueue_detached``: like ``enqueue``, but without a broker (tasks run inline) the task runs in a
  background thread of this process, so a long task (a report PDF) does not hold up the request that
  asked for it and the page can follow its progress.

A task's SQL statements are cancelled by PostgreSQL once they run longer than the task's soft time
limit (or ``TASK_STATEMENT_TIMEOUT`` seconds when that is set): the soft limit itself cannot interrupt a
statement that is running. A cancelled statement raises ``StatementTimedOut``, which is not retried.

Services queue tasks by their registered name (``enqueue_on_commit("notifications.deliver", ids)``)
rather than importing the task: a ``tasks`` module imports its services, never the other way round.
"""

import functools
import logging
import socket
import threading
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from celery import Task, current_app, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections, transaction
from django.utils.module_loading import autodiscover_modules
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Errors worth retrying: the database restarted or a connection dropped. Anything else is a bug or
# bad data, and retrying it would only repeat the failure.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)

# A broker that cannot be reached: Redis down, a refused connection, a dropped socket.
BROKER_ERRORS = (KombuError, RedisError, OSError)


# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout (query_canceled).
QUERY_CANCELED = "57014"


class StatementTimedOut(Exception):
    """A statement of the task ran past its time limit and PostgreSQL cancelled it; retrying would repeat it."""


def statement_timed_out(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is PostgreSQL cancelling a statement that ran too long."""
    while exc is not None:
        if getattr(exc, "pgcode", None) == QUERY_CANCELED:
            return True
        exc = exc.__cause__
    return False


def statement_timeout_seconds(task: Task) -> int:
    """How long one statement of ``task`` may run: ``TASK_STATEMENT_TIMEOUT`` or else the soft time limit."""
    configured = getattr(settings, "TASK_STATEMENT_TIMEOUT", 0)
    return int(configured or task.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT)


def _limit_statements(task: Task) -> None:
    """Set the worker connection's statement_timeout for this task (PostgreSQL; not for eager calls,
    which run inside the caller's connection and transaction)."""
    if task.request.is_eager or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{statement_timeout_seconds(task)}s"])


class RunLog(Protocol):
    """Where each run of a periodic task is recorded (started, then succeeded or failed)."""

    def run_started(self, *, task_name: str, task_id: str, worker: str) -> int: ...

    def run_succeeded(self, *, run_id: int, summary: dict) -> None: ...

    def run_failed(self, *, run_id: int, error: str) -> None: ...


_run_log: RunLog | None = None


def keep_run_log(run_log: RunLog | None) -> None:
    """Record every periodic task's runs in ``run_log`` (the notifications app does so when Django starts)."""
    global _run_log
    _run_log = run_log


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
    bound = defaults["bind"]

    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            task = args[0] if bound else None
            if task is not None:
                _limit_statements(task)
            try:
                return function(*args, **kwargs)
            except TRANSIENT_ERRORS as exc:
                if statement_timed_out(exc):
                    raise StatementTimedOut(str(exc).strip()) from exc
                raise

        return shared_task(**defaults)(run)

    return decorate


def periodic_task(*, name: str, **options):
    """A reliable task run by the beat; each run is recorded in the run log (started, finished, failed).

    The decorated function takes no ``self`` and returns a small JSON-able summary dict.
    """

    def decorate(function):
        def run(self, *args, **kwargs):
            log = _run_log
            if log is None:
                return function(*args, **kwargs) or {}
            run_id = log.run_started(
                task_name=name, task_id=self.request.id or "", worker=self.request.hostname or socket.gethostname()
            )
            try:
                summary = function(*args, **kwargs) or {}
            except Exception as exc:
                error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                log.run_failed(run_id=run_id, error=error[:4000])
                raise
            log.run_succeeded(run_id=run_id, summary=summary)
            return summary

        run.__name__ = function.__name__
        run.__qualname__ = function.__qualname__
        run.__module__ = function.__module__
        run.__doc__ = function.__doc__
        return reliable_task(name=name, **options)(run)

    return decorate


def registered_task(name: str) -> Task:
    """The task registered under ``name``; every installed app's ``tasks`` module is imported on first need.

    Raises ``celery.exceptions.NotRegistered`` (a ``KeyError``) for a name no task carries.
    """
    app = current_app
    if name not in app.tasks:
        autodiscover_modules("tasks")
    return app.tasks[name]


def _resolve(task: Task | str) -> Task:
    return registered_task(task) if isinstance(task, str) else task


def enqueue(task: Task | str, *args, **kwargs):
    """Queue ``task`` (a task or its registered name) with these (id) arguments now.

    Broker errors are raised: the caller decides whether the work is lost or swept up later.
    """
    return _resolve(task).apply_async(args=args, kwargs=kwargs)


_detached_lock = threading.Lock()
_detached: ThreadPoolExecutor | None = None


def enqueue_detached(task: Task | str, *args, **kwargs) -> Future | None:
    """Queue ``task`` now, like ``enqueue``; without a broker, run it in a background thread.

    With a broker the task goes to the workers (broker errors are raised). Without one
    (``CELERY_TASK_ALWAYS_EAGER``, the demo) ``enqueue`` would run it inside the caller's request,
    which then answers only when the task is done. With ``EAGER_TASKS_IN_BACKGROUND`` on (the
    default without a broker) it runs instead in one background thread of this process, one task at
    a time, and the caller gets the thread's ``Future``. The task must record its progress and result
    in the database: nothing else reports back. A task cut short by the process exiting is left as it
    was, like a task whose worker died (the report jobs' stale sweep fails it).
    """
    task = _resolve(task)
    if not (settings.CELERY_TASK_ALWAYS_EAGER and getattr(settings, "EAGER_TASKS_IN_BACKGROUND", False)):
        task.apply_async(args=args, kwargs=kwargs)
        return None
    return detached_executor().submit(_run_detached, task, args, kwargs)


def detached_executor() -> ThreadPoolExecutor:
    """The one background thread of this process that ``enqueue_detached`` runs tasks in, in order."""
    global _detached
    with _detached_lock:
        if _detached is None:
            _detached = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detached-task")
        return _detached


def _run_detached(task: Task, args, kwargs) -> None:
    try:
        task.apply(args=args, kwargs=kwargs)
    except Exception:
        logger.exception("Task %s failed in the background thread", task.name)
    finally:
        connections.close_all()  # this thread's own connections


def enqueue_on_commit(task: Task | str, *args, **kwargs) -> None:
    """Queue ``task`` (a task or its registered name) with these (id) arguments after the current
    transaction commits.

    A broker outage is logged, not raised: the caller's work is committed and a periodic sweep
    (``notifications.deliver_pending``) finds what was not queued.
    """
    task = _resolve(task)

    def publish():
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except BROKER_ERRORS as exc:
            logger.warning("Could not queue %s (%s); the periodic sweep will pick the work up.", task.name, exc)

    transaction.on_commit(publish)
