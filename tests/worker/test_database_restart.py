"""A PostgreSQL restart (or failover) ends every session; the web server's kept connections must not
turn into 500s. A real gunicorn process with persistent connections, as in production."""

import pytest
from django.db import connection
from django.test import Client

from core.roles import Role
from tests.worker.settings_worker_names import SUBPROCESS_APPLICATION_NAME
from tests.worker.test_worker import Browser

pytestmark = pytest.mark.worker


def terminate_test_database_sessions() -> int:
    """End every other session of this test's database (what a restart does); never another database's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [SUBPROCESS_APPLICATION_NAME],
        )
        return sum(1 for (terminated,) in cursor.fetchall() if terminated)


def logged_in_browser(harness, make_user, *, health_checks: bool, name: str) -> tuple:
    # One gunicorn worker, so every request goes through the same kept connection.
    web, base = harness.start_web(name, WORKER_TEST_CONN_MAX_AGE=600, DB_CONN_HEALTH_CHECKS=int(health_checks), DEBUG=0)
    user = make_user(Role.ADMIN, username=f"admin-{name}")
    login = Client()
    login.force_login(user)
    return web, Browser(base, login.session.session_key)


def test_after_the_database_ends_the_sessions_the_next_requests_succeed(harness, make_user):
    web, browser = logged_in_browser(harness, make_user, health_checks=True, name="web")
    for path in ["/notifications/", "/notifications/status/"]:
        assert browser.request(path)[0] == 200
    assert terminate_test_database_sessions() >= 1  # the web server's kept connection
    for path in ["/notifications/", "/notifications/status/", "/notifications/"]:
        status, body = browser.request(path)
        assert status == 200, (status, web.log()[-3000:])


def test_without_health_checks_the_first_request_after_the_restart_would_fail(harness, make_user):
    """The failure the setting prevents: the same server with checks off answers 500 once."""
    web, browser = logged_in_browser(harness, make_user, health_checks=False, name="unchecked")
    assert browser.request("/notifications/")[0] == 200
    assert terminate_test_database_sessions() >= 1
    assert browser.request("/notifications/")[0] == 500
    assert browser.request("/notifications/")[0] == 200  # Django drops the broken connection after the error
