"""The worker's heartbeat: one row refreshed by each beat, read by the status page and the health check."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from notifications.models import TaskRun
from notifications.services import HEARTBEAT_TASK
from notifications.tasks import heartbeat

pytestmark = pytest.mark.django_db


def test_each_heartbeat_refreshes_one_row(settings):
    assert settings.CELERY_BEAT_SCHEDULE["notifications-heartbeat"]["task"] == HEARTBEAT_TASK
    assert heartbeat.apply().get() == "ok"
    first = TaskRun.objects.get(task_name=HEARTBEAT_TASK)
    assert heartbeat.apply().get() == "ok"
    second = TaskRun.objects.get(task_name=HEARTBEAT_TASK)
    assert second.pk == first.pk and second.finished_at >= first.finished_at


def _age_heartbeat(seconds: int) -> None:
    at = clock.now() - timedelta(seconds=seconds)
    TaskRun.objects.filter(task_name=HEARTBEAT_TASK).update(started_at=at, finished_at=at)


def test_the_status_page_says_whether_the_worker_answers(client, admin_user, settings):
    client.force_login(admin_user)
    page = client.get("/notifications/status/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "从未收到心跳" in page
    heartbeat.apply()
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/notifications/status/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "运行正常" in page and "最近一次心跳在 0 秒前" in page
    _age_heartbeat(settings.HEARTBEAT_STALE_SECONDS + 30)
    with CaptureQueriesContext(connection) as stale_queries:
        page = client.get("/notifications/status/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "无响应" in page and f"已有 {settings.HEARTBEAT_STALE_SECONDS + 30} 秒没有心跳" in page
    assert len(stale_queries) == len(queries)


def test_the_health_check_fails_without_a_recent_heartbeat(settings, capsys):
    with pytest.raises(CommandError, match="no heartbeat was ever recorded"):
        call_command("check_background", "--heartbeat")
    heartbeat.apply()
    call_command("check_background", "--heartbeat")
    assert "heartbeat: 0s ago" in capsys.readouterr().out
    _age_heartbeat(settings.HEARTBEAT_STALE_SECONDS + 1)
    with pytest.raises(CommandError, match="the worker, the beat or Redis is down"):
        call_command("check_background", "--heartbeat")
