"""Redis goes away while a worker runs a late-acknowledged task, then comes back: the worker serves
the queue again, and the health check says so. The test's own redis-server, never the shared one."""

import signal
import subprocess
import sys
import time

import pytest

from notifications.models import TaskRun, TaskRunStatus
from tests.worker.conftest import ROOT, wait_for

pytestmark = pytest.mark.worker

NAP = "tests.nap"


def succeeded(label: str) -> int:
    return TaskRun.objects.filter(task_name=NAP, status=TaskRunStatus.SUCCEEDED, summary__label=label).count()


def check_background(harness, *args) -> subprocess.CompletedProcess:
    """``manage.py check_background`` as docker compose's healthcheck runs it, against the test's broker."""
    return subprocess.run(
        [sys.executable, "manage.py", "check_background", *args],
        cwd=ROOT,
        env=harness.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_redis_killed_during_a_task_the_worker_serves_the_queue_once_redis_is_back(harness, tmp_path):
    data_dir = tmp_path / "redis-data"
    data_dir.mkdir()
    redis_server, port = harness.start_redis(data_dir=data_dir)
    harness.redis_url = f"redis://127.0.0.1:{port}/0"
    # As production runs it (gossip, mingle, heartbeats); a short visibility timeout so that the
    # message of the interrupted task comes back within seconds instead of an hour.
    worker = harness.start_worker("w1", quiet=False, WORKER_TEST_VISIBILITY_TIMEOUT=5)
    name = harness.worker_hostname("w1")
    healthy = check_background(harness, "--worker", name, "--timeout", "3")
    assert healthy.returncode == 0 and f"ping: {name}" in healthy.stdout, healthy.stderr

    harness.publish(NAP, 4, "during")
    for index in range(3):
        harness.publish(NAP, 0, f"queued-{index}")  # behind it in the queue (prefetch 1, one process)
    wait_for(lambda: TaskRun.objects.filter(task_name=NAP).exists(), timeout=30, message="the task to start")
    redis_server.kill(signal.SIGKILL)

    started = time.monotonic()
    down = check_background(harness, "--worker", name, "--timeout", "2")
    assert down.returncode == 1 and "broker is unreachable" in down.stderr, (down.stdout, down.stderr)
    assert time.monotonic() - started < 30
    assert succeeded("queued-0") == 0

    harness.start_redis(port, data_dir=data_dir)  # back, with what it held
    for label in ["queued-0", "queued-1", "queued-2", "during"]:
        wait_for(lambda label=label: succeeded(label) >= 1, timeout=90, message=f"{label} after Redis came back")
    harness.publish(NAP, 0, "after")
    wait_for(lambda: succeeded("after") == 1, timeout=60, message="a task queued afterwards")
    assert worker.alive(), worker.log()[-4000:]
    assert "Unrecoverable error" not in worker.log()
    assert check_background(harness, "--worker", name, "--timeout", "3").returncode == 0
    assert [succeeded(f"queued-{i}") for i in range(3)] == [1, 1, 1]

    # A worker that is gone does not answer: the health check fails.
    worker.kill(signal.SIGKILL)
    gone = check_background(harness, "--worker", name, "--timeout", "2")
    assert gone.returncode == 1 and "no worker answered" in gone.stderr, (gone.stdout, gone.stderr)
