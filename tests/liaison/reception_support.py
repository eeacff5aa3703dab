"""What the reception tests share: the reception street under the name ``street``, and client addresses
kept apart from the rate limits of other runs."""

import random
import time
import uuid

import pytest
from django_ratelimit.core import _get_window


def fresh_ip(min_seconds_left: int = 20) -> str:
    """A random client address whose one-minute rate-limit window has time left.

    django-ratelimit counts in fixed windows whose edge depends on the address; an address
    whose window ends in the next seconds could reset mid-test and hide a limit.
    """
    while True:
        ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        if _get_window(ip, 60) - time.time() >= min_seconds_left:
            return ip


@pytest.fixture
def isolated_rate_limits(settings):
    """Count this test's requests apart from every other run sharing the cache (Redis in CI)."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"


@pytest.fixture
def street(reception_street):
    """The reception street (``tests.builders.streets.reception_street``)."""
    return reception_street
