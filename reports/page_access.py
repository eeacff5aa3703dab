"""Decorators for the report pages: who may open them (403 otherwise)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from reports.access import sees_all_reports


def overseers_only(view):
    """Dashboards, rankings and weights: the office, leaders and admins."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not sees_all_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
