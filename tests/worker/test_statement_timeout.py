"""A task's SQL statement that runs past its limit is cancelled by PostgreSQL, and not retried.

Celery's soft time limit cannot interrupt a statement that is running; the statement timeout can.
"""

import pytest

from notifications.models import TaskRun, TaskRunStatus
from tests.worker.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _runs(status):
    return TaskRun.objects.filter(task_name="tests.slow_statement", status=status)


def test_a_statement_past_the_limit_is_cancelled_and_the_task_fails_once(harness):
    harness.start_worker("w1", TASK_STATEMENT_TIMEOUT=1)
    harness.publish("tests.slow_statement", 30)

    wait_for(lambda: _runs(TaskRunStatus.FAILED).exists(), timeout=25, message="the failed run")
    [run] = _runs(TaskRunStatus.FAILED)
    assert "canceling statement due to statement timeout" in run.error
    assert (run.finished_at - run.started_at).total_seconds() < 10  # stopped at ~1 s, not after 30 s
    # Not retried: a cancelled statement would only be cancelled again.
    harness.publish("tests.nap", 0, "after")
    wait_for(lambda: TaskRun.objects.filter(task_name="tests.nap").exists(), timeout=20, message="the next task")
    assert TaskRun.objects.filter(task_name="tests.slow_statement").count() == 1


def test_a_statement_within_the_limit_runs(harness):
    harness.start_worker("w1", TASK_STATEMENT_TIMEOUT=5)
    harness.publish("tests.slow_statement", 0.5)
    wait_for(lambda: _runs(TaskRunStatus.SUCCEEDED).exists(), timeout=25, message="the run")
    assert not _runs(TaskRunStatus.FAILED).exists()
