"""The clock that reminder rules read; tests freeze it by patching ``now`` (``today`` follows).

Rules call ``clock.today()`` through the module, never ``from clock import today``, so that a patch
reaches them.
"""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    """Today's date in the site's time zone (Asia/Shanghai), not UTC."""
    return timezone.localdate(now())
