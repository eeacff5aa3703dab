"""The product's one clock: what services, selectors, tasks and reminders read as "now" and "today".

Both are built on ``django.utils.timezone``, so a test that freezes the process's clock (the
``frozen_today`` fixture) reaches every caller; nothing needs patching.
"""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    """The current moment, timezone-aware."""
    return timezone.now()


def today() -> date:
    """Today's date in the site's time zone (Asia/Shanghai), not UTC."""
    return timezone.localdate(now())
