"""Redis, the cache, Celery and the beat schedule (settings imported by ``config.settings``).

Celery's time zone (CELERY_TIMEZONE, the clock of the daily HH:MM times below) is the site's TIME_ZONE and is
set in ``config.settings``; ``config.celery`` checks every task against the limits set here.
"""

from datetime import timedelta

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_str, env_time

# --- Redis and cache ----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL") or None
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-ratelimit (the public QR channel) counts requests in the default cache. Its checks
# accept only the third-party Redis backend by name, but Django's own RedisCache is shared
# and increments atomically, so that warning is silenced. Without REDIS_URL (the one-process
# demo) the cache is per process; the limit still holds within that process, so the error
# about an unshared cache is silenced only in that case.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# --- Celery -------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Tasks report through the database (TaskRun, ReminderSent, Delivery), never through a result backend.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Without a broker the demo runs every task inline, in the request that queues it.
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
# ...except tasks queued with core.tasks.enqueue_detached (report PDFs): those run in a background
# thread of the web process, so the page that asked for a report answers at once and shows its progress.
EAGER_TASKS_IN_BACKGROUND = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ENABLE_UTC = True
# Every task here is idempotent (it claims its work with a unique row or a conditional UPDATE), so a
# message is acknowledged only after the task finished (acks_late), and a task whose worker process
# died (SIGKILL, out of memory) goes back to the queue instead of being lost (reject_on_worker_lost).
# A task that is NOT safe to run twice must say so with acks_late=False on its decorator.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per worker process: with late acks, prefetched messages would sit unacked
# behind a long task and could be redelivered elsewhere when the visibility timeout passes.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers a message that was taken but not acknowledged after this many seconds (that is how
# a task of a killed worker is redone). Every time limit, retry delay and countdown must stay below it,
# or a task still running would be handed to a second worker; config.celery checks every task, refuses
# longer countdowns at publish time, and a test fails if a task breaks the rule.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # A publish to a vanished broker fails within seconds instead of hanging a web request.
    "socket_timeout": 5,
    "socket_connect_timeout": 3,
}
# A publish that fails after these few quick retries raises; the web app catches it (the work is
# already in the database and a periodic sweep picks it up), so pages keep working without Redis.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# When the worker loses Redis, tasks it is running will be redelivered anyway: stop them rather than
# let them finish twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Soft limit: the task gets SoftTimeLimitExceeded and can stop cleanly; hard limit: the process is killed.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 900, minimum=1)
if not CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "Celery limits must satisfy CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < "
        f"CELERY_VISIBILITY_TIMEOUT (got {CELERY_TASK_SOFT_TIME_LIMIT} < {CELERY_TASK_TIME_LIMIT} < "
        f"{CELERY_VISIBILITY_TIMEOUT}); otherwise Redis hands a running task to a second worker."
    )
# PostgreSQL cancels a task's statement that runs longer than this many seconds (0: the task's soft time
# limit). The soft limit alone cannot stop a statement that is running; a cancelled one is not retried.
TASK_STATEMENT_TIMEOUT = env_int("TASK_STATEMENT_TIMEOUT", 0, minimum=0)
# Retries (core.tasks.reliable_task): exponential backoff from 30 s, capped at 10 min,
# with full jitter so that tasks failing together (database restart) do not retry together.
TASK_RETRY_BACKOFF = 30
TASK_RETRY_BACKOFF_MAX = min(600, CELERY_VISIBILITY_TIMEOUT // 2)
TASK_MAX_RETRIES = 5


def _daily(env_name: str, default: str):
    """A crontab running once a day at HH:MM local time, overridable by the environment."""
    hour, minute = env_time(env_name, default)
    return crontab(hour=hour, minute=minute)


# --- The beat schedule ----------------------------------------------------------------
# The dashboards' and statistics' summary tables are rebuilt this often (reports.summaries); pages
# read them while they are younger than three intervals and compute live otherwise.
SCHEDULE_STATISTICS_MINUTES = env_int("SCHEDULE_STATISTICS_MINUTES", 10, minimum=1)
# The worker's heartbeat: sent by the beat every HEARTBEAT_SECONDS; older than three intervals
# means the worker (or the beat, or Redis) is down.
HEARTBEAT_SECONDS = env_int("SCHEDULE_HEARTBEAT_SECONDS", 60, minimum=10)
HEARTBEAT_STALE_SECONDS = 3 * HEARTBEAT_SECONDS

# The beat schedule is static (one beat process, no database scheduler). Sweeps compute what is due
# from the database, so a missed tick (beat or Redis down) is caught up by the next one.
CELERY_BEAT_SCHEDULE: dict = {
    "notifications-deliver-pending": {
        # Deliveries whose task could not be queued (broker down) or failed and wait for a retry.
        "task": "notifications.deliver_pending",
        "schedule": timedelta(minutes=env_int("SCHEDULE_DELIVER_PENDING_MINUTES", 5, minimum=1)),
    },
    # Proof that background work flows (beat → Redis → worker → database), read by the status page
    # and `manage.py check_background --heartbeat`. A heartbeat that waited longer than one interval
    # is dropped, so a dead worker's backlog never looks like a live one.
    "notifications-heartbeat": {
        "task": "notifications.heartbeat",
        "schedule": timedelta(seconds=HEARTBEAT_SECONDS),
        "options": {"expires": HEARTBEAT_SECONDS},
    },
    "notifications-prune": {
        "task": "notifications.prune",
        "schedule": _daily("SCHEDULE_PRUNE_AT", "03:30"),
    },
    # Report jobs whose worker vanished are failed, so no list shows them "running" for ever.
    "reports-fail-stale-jobs": {
        "task": "reports.fail_stale_jobs",
        "schedule": timedelta(minutes=env_int("SCHEDULE_STALE_REPORTS_MINUTES", 5, minimum=1)),
    },
    "reports-refresh-statistics": {
        "task": "reports.refresh_statistics",
        "schedule": timedelta(minutes=SCHEDULE_STATISTICS_MINUTES),
        "options": {"expires": SCHEDULE_STATISTICS_MINUTES * 60},
    },
    # Ledger imports whose worker vanished mid-check or mid-import are failed (nothing was imported).
    "imports-fail-stale-batches": {
        "task": "imports.fail_stale_batches",
        "schedule": timedelta(minutes=env_int("SCHEDULE_STALE_REPORTS_MINUTES", 5, minimum=1)),
    },
    # Reception days of open-ended rules are generated ahead of time; this keeps the horizon moving.
    "liaison-extend-reception-days": {
        "task": "liaison.extend_reception_days",
        "schedule": _daily("SCHEDULE_RECEPTION_DAYS_AT", "02:30"),
    },
}
# The reminder sweeps (one task per rule, so the status page shows each). The suggestion sweeps run
# before office hours; "reception tomorrow" in the afternoon before, when a deputy can still rearrange.
_SUGGESTION_REMINDERS_AT = _daily("SCHEDULE_SUGGESTION_REMINDERS_AT", "07:30")
for _task in ["reply_due", "co_opinion_due", "overdue", "assignment_pending", "evaluation_pending", "risk_high"]:
    CELERY_BEAT_SCHEDULE[f"suggestions-remind-{_task}"] = {
        "task": f"suggestions.remind_{_task}",
        "schedule": _SUGGESTION_REMINDERS_AT,
    }
CELERY_BEAT_SCHEDULE |= {
    "liaison-remind-reception-tomorrow": {
        "task": "liaison.remind_reception_tomorrow",
        "schedule": _daily("SCHEDULE_RECEPTION_REMINDER_AT", "16:00"),
    },
    "liaison-remind-grid-duties": {
        "task": "liaison.remind_grid_duties",
        "schedule": _daily("SCHEDULE_GRID_DUTY_REMINDER_AT", "09:00"),
    },
    "livelihood-remind-overdue-milestones": {
        "task": "livelihood.remind_overdue_milestones",
        "schedule": _daily("SCHEDULE_LIVELIHOOD_REMINDER_AT", "08:00"),
    },
    # Opinions whose placement task was never queued (broker down when they were saved).
    "topics-place-pending": {
        "task": "topics.place_pending",
        "schedule": timedelta(minutes=10),
    },
}
