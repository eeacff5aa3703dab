"""Login lockout (django-axes) with two limits: per username and address, and per username.

Axes counts failures for each combination in ``AXES_LOCKOUT_PARAMETERS`` but compares them
all with one ``AXES_FAILURE_LIMIT``. Here the pair (username, address) keeps that limit,
and the username alone, counted across every address, has its own higher one
(``AXES_USERNAME_FAILURE_LIMIT``): a password-spraying run that changes address after
each guess still locks the account, while one person mistyping from one place is locked
after a few tries.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


class LoginAttemptHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """Failures as axes compares them with AXES_FAILURE_LIMIT: the per-address count,
        raised to that limit once the username's count across addresses reaches its own limit.

        Relies on AXES_LOCKOUT_PARAMETERS being [["username", "ip_address"], "username"], in this order.
        """
        per_address, per_username = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_username >= settings.AXES_USERNAME_FAILURE_LIMIT:
            return max(per_address, get_failure_limit(request, credentials))
        return per_address
