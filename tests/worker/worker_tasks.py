"""A periodic sweep of the test rule, with hooks to hold it in the middle of its transaction.

* ``WORKER_TEST_PAUSE_DIR``: the first run (no "started" file yet) writes its process id there and
  then waits, inside the sweep's transaction, to be killed. Later runs do not wait.
* ``WORKER_TEST_HOLD_SECONDS``: every run keeps its transaction open that long after claiming, so two
  sweeps started together really overlap.
"""

import os
import time
from pathlib import Path

from django.db import transaction

from core.tasks import periodic_task
from notifications.reminders import run_sweep
from tests.notifications.support import TEST_RULE


def _pause_first_run() -> None:
    pause_dir = os.environ.get("WORKER_TEST_PAUSE_DIR")
    if not pause_dir:
        return
    started = Path(pause_dir) / "started"
    if started.exists():
        return
    started.write_text(str(os.getpid()))
    time.sleep(120)  # killed long before this ends


@periodic_task(name="tests.sweep_due_accounts", soft_time_limit=150, time_limit=170)
def sweep_due_accounts() -> dict:
    with transaction.atomic():
        result = run_sweep(TEST_RULE)
        # The claims and notifications are written but not committed: the middle of the task.
        _pause_first_run()
        time.sleep(float(os.environ.get("WORKER_TEST_HOLD_SECONDS", "0")))
    return result


@periodic_task(name="tests.nap", soft_time_limit=150, time_limit=170)
def nap(seconds: float, label: str = "") -> dict:
    """A task that takes a while (recorded in TaskRun like every periodic task)."""
    time.sleep(float(seconds))
    return {"label": label}


@periodic_task(name="tests.slow_statement", soft_time_limit=150, time_limit=170)
def slow_statement(seconds: float) -> dict:
    """One SQL statement that runs ``seconds``: PostgreSQL cancels it past the task's statement timeout."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])
    return {"slept": seconds}
