"""Statistics periods: the period and basis every statistic is read over, and the parameters that choose them.

Every statistic (``GET /api/v1/stats/stations/``, ``GET /api/v1/stats/suggestions/``, the statistics
pages) is read over a *period* — a calendar year, or a date range whose either end may be open — and
on a *basis*:

- ``cohort`` (the default): the items that *entered* in the period (opinions received, suggestions
  first submitted) and what has become of them so far. A closed year's cohort figures keep moving
  while its items are still being handled (an opinion of December resolved in January adds to
  December's "resolved").
- ``activity``: the work *done* in the period — outcomes recorded, opinions resolved, suggestions
  assigned, replied to, closed, evaluated — each event placed by its own date. A later event never
  lands in a closed period, so a closed year's activity figures do not drift.

Which date places each figure in a period is defined once, next to the rows it counts:
``liaison.periods`` (visits and opinions) and ``suggestions.periods`` (the suggestion metrics). This
module is the shared machinery: ``Basis``, ``Period`` (with index-friendly filters on a date or a
datetime column), and the query-parameter serializer both statistics endpoints use, whose errors
have the API's machine-readable shape (``{"detail", "code", "fields"}``, plus field → messages).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError

from core.dates import EARLIEST_EVENT_YEAR, LATEST_EVENT_YEAR
from core.filters import INT_MAX
from core.serializers import StrictQuerySerializer


class Basis:
    """The two bases (see the module's docstring); ``cohort`` when none is asked for."""

    COHORT = "cohort"
    ACTIVITY = "activity"
    CHOICES = (COHORT, ACTIVITY)
    DEFAULT = COHORT
    # The statistics pages' choice of basis.
    LABELS = (
        (COHORT, _("Cohort: what came in during the period, and its outcome so far")),
        (ACTIVITY, _("Activity: what was done during the period")),
    )


@dataclass(frozen=True)
class Period:
    """From ``date_from`` to ``date_to``, both inclusive; None is an open end (no bound)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @classmethod
    def of_year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def year(self) -> int | None:
        """The calendar year when the period is exactly one, else None."""
        start, end = self.date_from, self.date_to
        if start and end and start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return start.year
        return None

    @property
    def unbounded(self) -> bool:
        return self.date_from is None and self.date_to is None

    def q(self, field: str, *, moment: bool = False) -> Q:
        """Rows whose ``field`` falls in the period (and is set). ``moment=True`` for a datetime column:
        the bounds are local midnights, so the filter reads the column's index (no cast to a date)."""
        q = Q(**{f"{field}__isnull": False})
        if moment:
            if self.date_from is not None:
                q &= Q(**{f"{field}__gte": _midnight(self.date_from)})
            if self.date_to is not None:
                q &= Q(**{f"{field}__lt": _midnight(self.date_to + datetime.timedelta(days=1))})
            return q
        if self.date_from is not None:
            q &= Q(**{f"{field}__gte": self.date_from})
        if self.date_to is not None:
            q &= Q(**{f"{field}__lte": self.date_to})
        return q


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- The query parameters --------------------------------------------------------------------------

PERIOD_HELP = {
    "year": "A calendar year (2000–2100): the same as date_from=YYYY-01-01&date_to=YYYY-12-31. "
    "Not together with date_from/date_to (400 period_conflict).",
    "date_from": "YYYY-MM-DD, inclusive; open when absent. Years 2000–2100 (else 400 period_out_of_bounds); "
    "not after date_to (else 400 period_reversed).",
    "date_to": "YYYY-MM-DD, inclusive; open when absent.",
    "basis": "cohort (default): the items that entered in the period and what became of them so far; "
    "activity: the work done in the period, each figure by the date of its own event (a closed period "
    "never changes). Which date each figure counts by is listed in the endpoint's description.",
    "station": "A station the user may see; its sub-stations are included. Unknown or not visible: 404 unknown_scope.",
    "unit": "A handling unit. Unknown: 404 unknown_scope.",
    "deputy": "A deputy the user may see. Unknown or not visible: 404 unknown_scope.",
}


class StatsQuerySerializer(StrictQuerySerializer):
    """The period, basis and scope parameters of every statistics endpoint (an endpoint may add its own)."""

    year = serializers.IntegerField(
        required=False, min_value=EARLIEST_EVENT_YEAR, max_value=LATEST_EVENT_YEAR, help_text=PERIOD_HELP["year"]
    )
    date_from = serializers.DateField(required=False, help_text=PERIOD_HELP["date_from"])
    date_to = serializers.DateField(required=False, help_text=PERIOD_HELP["date_to"])
    basis = serializers.ChoiceField(
        choices=Basis.CHOICES, required=False, default=Basis.DEFAULT, help_text=PERIOD_HELP["basis"]
    )
    station = serializers.IntegerField(required=False, min_value=1, max_value=INT_MAX, help_text=PERIOD_HELP["station"])
    unit = serializers.IntegerField(required=False, min_value=1, max_value=INT_MAX, help_text=PERIOD_HELP["unit"])
    deputy = serializers.IntegerField(required=False, min_value=1, max_value=INT_MAX, help_text=PERIOD_HELP["deputy"])


def _coded(code: str, message, fields, messages: dict | None = None) -> ValidationError:
    """``{"detail", "code", "fields"}`` and, as every 400 of the API, field → messages."""
    per_field = messages or {name: [str(message)] for name in fields}
    return ValidationError({**per_field, "detail": str(message), "code": code, "fields": sorted(fields)})


def parse_stats_query(serializer_class: type[StatsQuerySerializer], query_params) -> dict:
    """The validated parameters, with ``period`` (a ``Period``) instead of year/date_from/date_to.

    An empty parameter means "no filter" (as in the list filters); an unknown one is a 400
    ``unknown_parameter``. Every refusal is ``{"detail", "code", "fields"}``; a value that cannot be
    read is ``invalid_parameter`` and also carries the usual field → messages.
    """
    known = serializer_class().fields
    data = {key: value for key, value in query_params.items() if key not in known or value.strip()}
    query = serializer_class(data=data)
    if not query.is_valid():
        errors = query.errors
        if "code" in errors:  # unknown parameters: already coded
            raise ValidationError(errors)
        messages = [str(m) for field_messages in errors.values() for m in field_messages]
        raise _coded("invalid_parameter", " ".join(messages), errors, dict(errors))
    params = dict(query.validated_data)
    year, start, end = params.pop("year", None), params.pop("date_from", None), params.pop("date_to", None)
    if year is not None and (start or end):
        given = ["year"] + [name for name, value in (("date_from", start), ("date_to", end)) if value]
        raise _coded("period_conflict", _("Give either a year or a date range, not both."), given)
    outside = [
        name
        for name, value in (("date_from", start), ("date_to", end))
        if value and not EARLIEST_EVENT_YEAR <= value.year <= LATEST_EVENT_YEAR
    ]
    if outside:
        message = _("Enter dates between the years %(first)s and %(last)s.") % {
            "first": EARLIEST_EVENT_YEAR,
            "last": LATEST_EVENT_YEAR,
        }
        raise _coded("period_out_of_bounds", message, outside)
    if start and end and start > end:
        message = _("The end of the period is before its start.")
        raise _coded("period_reversed", message, ["date_from", "date_to"], {"date_to": [str(message)]})
    params["period"] = Period.of_year(year) if year is not None else Period(start, end)
    return params


def unknown_scope(field: str) -> NotFound:
    """404 ``unknown_scope``: ``field`` names no station, unit or deputy the user may see (whether it does not
    exist or is out of the user's scope is not told apart, as everywhere in the API)."""
    return NotFound(
        {
            "detail": str(_("No such %(name)s, or not one you may see.") % {"name": field}),
            "code": "unknown_scope",
            "fields": [field],
        }
    )
