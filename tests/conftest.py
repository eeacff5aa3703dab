import os
import zoneinfo
from datetime import date, datetime, time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.builders.fixtures import (
    demo_street_module,
    folks,
    livelihood_street_fixture,
    make_user,
    reception_street_fixture,
    street,
    world,
)
from tests.builders.people import PASSWORD

# Property tests share the machine with the rest of the suite (and CI with other jobs): a slow draw or a slow
# example under load is not a failure. What they check is unchanged; only the timing checks are off.
hypothesis_settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("suite")

# The shared test data (see tests/builders): the fixtures every package may use, and the password
# of every account the builders create.
__all__ = [
    "PASSWORD",
    "demo_street_module",
    "folks",
    "livelihood_street_fixture",
    "make_user",
    "reception_street_fixture",
    "street",
    "world",
]

CHROMIUM = Path("/usr/bin/chromium")


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _missing_service(item) -> tuple[str, str] | None:
    """Return (reason, flag that turns the skip into a failure) for the first service the test lacks."""
    if item.get_closest_marker("postgres"):
        from django.db import connections

        vendor = connections["default"].vendor
        if vendor != "postgresql":
            return (
                f"needs PostgreSQL but the database is {vendor}; set DATABASE_URL=postgres://... to run it",
                "REQUIRE_SERVICES",
            )
    if item.get_closest_marker("worker") and not os.environ.get("REDIS_URL"):
        return ("needs a Celery worker on Redis but REDIS_URL is not set", "REQUIRE_SERVICES")
    if item.get_closest_marker("browser") and not CHROMIUM.exists():
        return (f"needs Chromium but {CHROMIUM} is missing", "REQUIRE_BROWSER")
    return None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, with stray sessions closed before they are dropped.

    Worker processes and live-server threads may still hold a connection to the PostgreSQL
    test database when the run ends, and PostgreSQL refuses to drop a database in use.
    """
    yield
    from django.db import connection, connections

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connections.close_all()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Skip tests whose service is missing, or fail them when the environment requires that service."""
    missing = _missing_service(item)
    if missing is None:
        return
    reason, flag = missing
    if _flag(flag):
        pytest.fail(f"{reason} ({flag}=1 is set, so a missing service is a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def frozen_today():
    """The one way a test sets the clock: ``frozen_today(date(2024, 3, 1))`` makes that day today (at
    10:00 in the site's time zone); ``frozen_today(datetime(...))`` or ``frozen_today("2026-12-28
    10:00 +08:00")`` stops the clock at that moment (a naive datetime is read in the site's time zone).

    The whole process's clock stands still — ``core.clock``, Django's ``timezone.now()``,
    ``datetime``, ``date.today()`` and ``time.time()`` — so services, selectors, tasks, reminders and
    views all agree on the day. Call again to move the clock; returns the moment, timezone-aware.
    """
    travels = []

    def freeze(moment: date | datetime | str) -> datetime:
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment.replace(" +", "+"))
        elif not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(10, 0))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, zoneinfo.ZoneInfo(settings.TIME_ZONE))
        while travels:
            travels.pop().stop()
        travel = time_machine.travel(moment, tick=False)
        travel.start()
        travels.append(travel)
        return moment

    yield freeze
    while travels:
        travels.pop().stop()
