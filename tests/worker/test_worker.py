"""Real Celery workers against Redis: reminders go out exactly once through reruns, crashes and outages."""

import http.cookiejar
import os
import signal
import time
import urllib.parse
import urllib.request

import pytest
from django.test import Client

from core.roles import Role
from notifications.models import Delivery, DeliveryStatus, Notification, ReminderSent, TaskRun, TaskRunStatus
from tests.worker.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SWEEP = "tests.sweep_due_accounts"


@pytest.fixture
def due_accounts(make_user):
    """Five people with something due today (see tests/notifications/support.py) and an email address."""
    return [make_user(Role.OFFICE, username=f"due-{i}", email=f"due{i}@example.org") for i in range(5)]


def succeeded_runs(task_name=SWEEP) -> int:
    return TaskRun.objects.filter(task_name=task_name, status=TaskRunStatus.SUCCEEDED).count()


def assert_each_reminder_once(harness, people, *, extra_mails=0):
    assert ReminderSent.objects.count() == len(people)
    assert Notification.objects.filter(verb="reminder.test_due_accounts").count() == len(people)
    wait_for(lambda: len(harness.mails()) >= len(people) + extra_mails, timeout=60, message="the emails")
    recipients = sorted(line for mail in harness.mails() for line in mail.splitlines() if line.startswith("To: "))
    expected = sorted(f"To: {person.email}" for person in people)
    assert [r for r in recipients if r != "To: admin@example.org"] == expected
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_sweep_run_twice_sends_each_reminder_once(harness, due_accounts):
    harness.start_worker("w1")
    harness.publish(SWEEP)
    wait_for(lambda: succeeded_runs() == 1, timeout=60, message="the first sweep")
    harness.publish(SWEEP)
    wait_for(lambda: succeeded_runs() == 2, timeout=60, message="the second sweep")
    summaries = sorted(run.summary["sent"] for run in TaskRun.objects.filter(task_name=SWEEP))
    assert summaries == [0, 5]
    assert_each_reminder_once(harness, due_accounts)


def test_two_sweeps_at_once_send_each_reminder_once(harness, due_accounts):
    # Two pool processes; each sweep keeps its transaction open 2 s after claiming, so they overlap
    # and the second one's INSERT waits on the first one's uncommitted claims.
    harness.start_worker("w1", concurrency=2, WORKER_TEST_HOLD_SECONDS=2)
    harness.publish(SWEEP)
    harness.publish(SWEEP)
    wait_for(lambda: succeeded_runs() == 2, timeout=60, message="both sweeps")
    first, second = TaskRun.objects.filter(task_name=SWEEP).order_by("started_at")
    assert second.started_at < first.finished_at, "the two sweeps did not run at the same time"
    assert first.worker != "" and first.summary["sent"] + second.summary["sent"] == 5
    assert_each_reminder_once(harness, due_accounts)


def test_a_killed_worker_leaves_the_sweep_to_a_fresh_worker_which_finishes_it_once(harness, due_accounts):
    # A short visibility timeout: Redis hands the unacknowledged message to another worker after 5 s.
    pause_dir = harness.tmp_path / "pause"
    pause_dir.mkdir()
    settings = {"WORKER_TEST_VISIBILITY_TIMEOUT": 5, "WORKER_TEST_PAUSE_DIR": pause_dir}
    doomed = harness.start_worker("doomed", **settings)
    harness.publish(SWEEP)
    wait_for(lambda: (pause_dir / "started").exists(), timeout=60, message="the sweep to reach its middle")
    # The sweep has claimed and written its notifications, uncommitted.
    assert ReminderSent.objects.count() == 0
    doomed.kill(signal.SIGKILL)  # the worker and its pool process, mid-task, without any cleanup

    harness.start_worker("fresh", **settings)
    wait_for(lambda: succeeded_runs() == 1, timeout=90, message="the redelivered sweep")
    assert_each_reminder_once(harness, due_accounts)
    # The dead run stays "running" (the status page flags it as lost); the task finished once.
    statuses = sorted(TaskRun.objects.filter(task_name=SWEEP).values_list("status", flat=True))
    assert statuses == [TaskRunStatus.RUNNING, TaskRunStatus.SUCCEEDED]
    # Well past another visibility timeout: nothing is redelivered again.
    time.sleep(8)
    assert succeeded_runs() == 1
    assert ReminderSent.objects.count() == 5
    assert len(harness.mails()) == 5


def test_a_killed_pool_process_is_requeued_at_once_by_its_worker(harness, due_accounts):
    """reject_on_worker_lost: the worker sees its child die and puts the message back immediately,
    without waiting for the visibility timeout (left at its default of an hour here)."""
    pause_dir = harness.tmp_path / "pause"
    pause_dir.mkdir()
    worker = harness.start_worker("w1", WORKER_TEST_PAUSE_DIR=pause_dir)
    harness.publish(SWEEP)
    child_pid = int(wait_for(lambda: _read(pause_dir / "started"), timeout=60, message="the sweep to start"))
    assert child_pid != worker.process.pid
    os.kill(child_pid, signal.SIGKILL)
    wait_for(lambda: succeeded_runs() == 1, timeout=60, message="the requeued sweep")
    assert worker.alive()
    assert "WorkerLostError" in worker.log()
    assert_each_reminder_once(harness, due_accounts)


def _read(path):
    try:
        return path.read_text().strip() or None
    except FileNotFoundError:
        return None


class Browser:
    """Enough of a browser for the test: the session cookie of a logged-in user, and CSRF."""

    def __init__(self, base_url: str, session_key: str):
        self.base_url = base_url
        self.cookies = {"sessionid": session_key}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(data).encode()
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookiejar.split_header_words([header])[0][0]
            if cookie[1]:
                self.cookies[cookie[0]] = cookie[1]
        return response.status, response.read().decode(errors="replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_with_redis_down_the_site_keeps_serving_and_due_reminders_go_out_once_it_is_back(
    harness, due_accounts, make_user
):
    # Our own Redis, so that stopping it disturbs nobody else.
    redis_server, port = harness.start_redis()
    harness.redis_url = f"redis://127.0.0.1:{port}/0"
    # The worker with an embedded beat that ticks every 2 s (in production: the daily schedule).
    worker = harness.start_worker("w1", beat=True, WORKER_TEST_BEAT_SECONDS=2)
    web, base_url = harness.start_web()
    admin = make_user(Role.ADMIN, username="admin1", email="admin@example.org")
    login = Client()
    login.force_login(admin)
    browser = Browser(base_url, login.session.session_key)
    assert browser.request("/notifications/")[0] == 200
    wait_for(lambda: succeeded_runs() >= 1, timeout=60, message="the beat's first sweep")
    wait_for(lambda: len(harness.mails()) == 5, timeout=60, message="the first reminders")

    redis_server.kill(signal.SIGKILL)
    # Meanwhile: more people fall due, and the site keeps working, including an action that notifies.
    late = [make_user(Role.OFFICE, username=f"due-late{i}", email=f"late{i}@example.org") for i in range(3)]
    status, page = browser.request("/notifications/status/")
    assert status == 200, page
    started = time.monotonic()
    status, _body = browser.request("/notifications/status/test/", data={})
    assert status == 302
    assert time.monotonic() - started < 10, "the request waited too long for the broker"
    assert browser.request("/notifications/")[0] == 200
    test_notification = Notification.objects.get(verb="test")
    assert Delivery.objects.get(notification=test_notification).status == DeliveryStatus.PENDING
    assert "Could not queue notifications.deliver" in web.log()
    time.sleep(3)
    assert ReminderSent.objects.count() == 5  # no sweep can run without the broker

    harness.start_redis(port)  # back, empty: whatever was queued before is gone
    wait_for(lambda: ReminderSent.objects.count() == 8, timeout=90, message="the reminders due meanwhile")
    wait_for(lambda: len(harness.mails()) == 9, timeout=90, message="the reminders and the test notification")
    assert_each_reminder_once(harness, due_accounts + late, extra_mails=1)
    assert Delivery.objects.get(notification=test_notification).status == DeliveryStatus.SENT
    # More beat ticks later, still exactly once.
    time.sleep(5)
    assert ReminderSent.objects.count() == 8
    assert len(harness.mails()) == 9
    assert worker.alive()
