"""The Celery application: the product's clock (reminder sweeps) and its background sender.

Reliability choices live in ``config/background.py`` (the ``CELERY_*`` block) and are explained there.
This module adds two guards that settings alone cannot express:

* ``GuardedTask`` refuses to publish a task whose ETA or countdown reaches the Redis visibility timeout.
  Redis keeps a delayed message in its "unacked" set; once it has waited longer than the visibility
  timeout, Redis hands it to a second worker as if the first had died, so the task would run twice.
* ``task_limit_problems`` lists every registered task whose time limit or retry delay reaches the
  visibility timeout; a system check and a test run it over every task.

Without ``REDIS_URL`` the settings make every task run inline (``task_always_eager``), so the demo
needs no broker.
"""

import os
from datetime import datetime

from celery import Celery, Task
from celery.utils.time import maybe_iso8601

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

DEFAULT_VISIBILITY_TIMEOUT = 3600


def visibility_timeout(app: Celery) -> int:
    """Seconds after which Redis redelivers a message that was taken but not acknowledged."""
    options = app.conf.broker_transport_options or {}
    return int(options.get("visibility_timeout", DEFAULT_VISIBILITY_TIMEOUT))


def _delay_seconds(options: dict) -> float | None:
    countdown = options.get("countdown")
    if countdown is not None:
        return float(countdown)
    eta = options.get("eta")
    if eta is None:
        return None
    eta = maybe_iso8601(eta)
    now = datetime.now(tz=eta.tzinfo) if eta.tzinfo else datetime.now()
    return (eta - now).total_seconds()


class GuardedTask(Task):
    """The base class of every task: refuses delays that Redis would turn into duplicate runs."""

    def apply_async(self, args=None, kwargs=None, task_id=None, producer=None, link=None, link_error=None, **options):
        delay = _delay_seconds(options)
        limit = visibility_timeout(self.app)
        if delay is not None and delay >= limit:
            raise ValueError(
                f"{self.name}: a delay of {delay:.0f}s reaches the broker's visibility timeout ({limit}s); "
                "Redis would deliver the task twice. Schedule it from the beat instead."
            )
        return super().apply_async(args, kwargs, task_id, producer, link, link_error, **options)


def task_limit_problems(app: Celery) -> list[str]:
    """Every registered task whose time limits or retry delays reach the visibility timeout.

    A task still running (or waiting to retry) when the visibility timeout passes is handed to a second
    worker by Redis, so each of these must stay strictly below it.
    """
    limit = visibility_timeout(app)
    conf = app.conf
    problems = []
    for name, task in sorted(app.tasks.items()):
        checks = {
            "time_limit": task.time_limit or conf.task_time_limit,
            "soft_time_limit": task.soft_time_limit or conf.task_soft_time_limit,
            "default_retry_delay": task.default_retry_delay,
        }
        if getattr(task, "retry_backoff", False):
            checks["retry_backoff_max"] = getattr(task, "retry_backoff_max", 600)
        if not checks["time_limit"]:
            problems.append(f"{name}: no hard time limit; it could run past the visibility timeout ({limit}s)")
        for label, value in checks.items():
            if value is not None and value >= limit:
                problems.append(f"{name}: {label}={value}s reaches the visibility timeout ({limit}s)")
    for entry, spec in sorted((conf.beat_schedule or {}).items()):
        delay = _delay_seconds(spec.get("options", {}))
        if delay is not None and delay >= limit:
            problems.append(f"beat entry {entry}: a delay of {delay:.0f}s reaches the visibility timeout ({limit}s)")
    return problems


app = Celery("liaison", task_cls=GuardedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
