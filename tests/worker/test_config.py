"""Celery configuration: no task may outlive the Redis visibility timeout, and the reliability settings hold."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import Celery
from celery.schedules import crontab
from django.core.checks import run_checks
from django.utils.module_loading import autodiscover_modules

from config.celery import GuardedTask, app, task_limit_problems, visibility_timeout

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PREFIXES = ("notifications.", "suggestions.", "liaison.", "livelihood.", "reports.")


@pytest.fixture(scope="module")
def registered():
    autodiscover_modules("tasks")  # what the worker does at start
    return app.tasks


def project_tasks(registered):
    return {name: task for name, task in registered.items() if name.startswith(PROJECT_PREFIXES)}


def test_no_registered_task_reaches_the_visibility_timeout(registered):
    assert {"notifications.deliver", "notifications.deliver_pending", "notifications.prune"} <= set(registered)
    assert task_limit_problems(app) == []


def test_the_limit_check_catches_every_kind_of_offender():
    """The check above can fail: a throwaway app with a short visibility timeout and bad tasks."""
    bad = Celery("bad", task_cls=GuardedTask, set_as_current=False)
    bad.conf.broker_transport_options = {"visibility_timeout": 100}
    bad.conf.task_time_limit = None
    bad.conf.beat_schedule = {"late": {"task": "t", "schedule": 60, "options": {"countdown": 100}}}

    @bad.task(name="too_long", time_limit=100, soft_time_limit=50, shared=False)
    def too_long():
        pass

    @bad.task(name="slow_retry", time_limit=50, default_retry_delay=150, shared=False)
    def slow_retry():
        pass

    @bad.task(name="backoff", time_limit=50, retry_backoff=True, retry_backoff_max=500, shared=False)
    def backoff():
        pass

    @bad.task(name="unbounded", shared=False)
    def unbounded():
        pass

    problems = "\n".join(task_limit_problems(bad))
    assert "too_long: time_limit=100s reaches" in problems
    assert "slow_retry: default_retry_delay=150s reaches" in problems
    assert "backoff: retry_backoff_max=500s reaches" in problems
    assert "unbounded: no hard time limit" in problems
    assert "beat entry late" in problems


@pytest.mark.django_db  # the working-calendar check reads the entered years
def test_the_system_check_reports_no_task_limit_problem():
    errors = [e for e in run_checks() if e.id and e.id.startswith("notifications.")]
    assert errors == []


def test_project_tasks_ack_late_requeue_on_worker_loss_and_retry_with_jittered_backoff(registered, settings):
    tasks = project_tasks(registered)
    assert tasks
    for name, task in tasks.items():
        # Global defaults: a task that is not safe to run twice must opt out explicitly and visibly.
        assert task.acks_late, name
        assert task.reject_on_worker_lost, name
    background = {name: task for name, task in tasks.items() if name.startswith("notifications.") or ".remind_" in name}
    for name, task in background.items():
        assert task.retry_jitter, name
        assert task.retry_backoff, name
        assert task.retry_backoff_max < visibility_timeout(app), name
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit < visibility_timeout(app)


def test_every_beat_entry_names_a_registered_task(registered, settings):
    for entry, spec in settings.CELERY_BEAT_SCHEDULE.items():
        assert spec["task"] in registered, f"{entry} schedules unknown task {spec['task']}"


@pytest.mark.django_db
def test_a_countdown_reaching_the_visibility_timeout_is_refused(registered):
    deliver = registered["notifications.deliver"]
    limit = visibility_timeout(app)
    with pytest.raises(ValueError, match="visibility timeout"):
        deliver.apply_async(args=[[]], countdown=limit)
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(ValueError, match="visibility timeout"):
        deliver.apply_async(args=[[]], eta=timezone.now() + timedelta(seconds=limit + 60))
    # A short countdown is fine (tests run tasks inline).
    deliver.apply_async(args=[[]], countdown=5)


def _settings_in_subprocess(env: dict, expression: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "SCHEDULE_"))}
    clean.update({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings", **env})
    code = f"import config.settings as s; print({expression})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


@pytest.mark.parametrize(
    "env",
    [
        {"CELERY_TASK_TIME_LIMIT": "3600"},  # equal to the default visibility timeout
        {"CELERY_VISIBILITY_TIMEOUT": "600"},  # below the default hard limit
        {"CELERY_TASK_SOFT_TIME_LIMIT": "900"},  # soft limit not below the hard one
    ],
)
def test_settings_refuse_limits_that_reach_the_visibility_timeout(env):
    result = _settings_in_subprocess(env, "s.CELERY_TASK_TIME_LIMIT")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "CELERY_VISIBILITY_TIMEOUT" in result.stderr


def test_beat_times_come_from_the_environment_and_are_validated():
    result = _settings_in_subprocess(
        {"SCHEDULE_PRUNE_AT": "04:15", "SCHEDULE_DELIVER_PENDING_MINUTES": "2"},
        "s.CELERY_BEAT_SCHEDULE['notifications-prune']['schedule'], "
        "s.CELERY_BEAT_SCHEDULE['notifications-deliver-pending']['schedule']",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{crontab(minute=15, hour=4)!r} 0:02:00"
    for bad in ["25:00", "8", "08:5", "eight"]:
        result = _settings_in_subprocess({"SCHEDULE_PRUNE_AT": bad}, "1")
        assert result.returncode != 0
        assert "SCHEDULE_PRUNE_AT" in result.stderr and "HH:MM" in result.stderr


def test_env_readers():
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_int_list, env_time

    os.environ["NOTIFY_TEST_TIME"] = "7:05"
    os.environ["NOTIFY_TEST_LIST"] = "15, 7,1"
    try:
        assert env_time("NOTIFY_TEST_TIME", "08:00") == (7, 5)
        assert env_int_list("NOTIFY_TEST_LIST", [1], minimum=1) == [15, 7, 1]
        os.environ["NOTIFY_TEST_LIST"] = "15,0"
        with pytest.raises(ImproperlyConfigured):
            env_int_list("NOTIFY_TEST_LIST", [1], minimum=1)
        os.environ["NOTIFY_TEST_LIST"] = "15,x"
        with pytest.raises(ImproperlyConfigured):
            env_int_list("NOTIFY_TEST_LIST", [1])
    finally:
        del os.environ["NOTIFY_TEST_TIME"], os.environ["NOTIFY_TEST_LIST"]
    assert env_time("NOTIFY_TEST_UNSET", "08:30") == (8, 30)
    assert env_int_list("NOTIFY_TEST_UNSET", [15, 7, 1]) == [15, 7, 1]
