"""Deadlines of the suggestion lifecycle and the working-day calendar they use.

The periods come from ``settings.SUGGESTION_DEADLINES`` (legal defaults in DOMAIN.md):
months are calendar months, clamped to the end of a shorter month (2024-01-31 plus
three months is 2024-04-30); working days follow the official Chinese calendar —
weekends, public holidays and make-up workdays (调休) — as published by the State
Council and packaged by ``chinesecalendar`` (pinned in requirements.txt).

The package covers a fixed range of years and is updated every year once the next
year's holidays are announced (usually in November or December). A date outside that
range raises ``CalendarNotCovered`` instead of silently counting weekdays; a system
check (see ``suggestions.checks``) warns ahead of time when next year is missing.
"""

import calendar
from datetime import date, timedelta

import chinese_calendar
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import ActionRefused


class CalendarNotCovered(ActionRefused):
    """The working-day calendar has no data for this year (refused with a clear message, nothing changed)."""

    def __init__(self, year: int):
        first, last = covered_years()
        super().__init__(
            _(
                "The working-day calendar covers %(first)s–%(last)s only, so a deadline in %(year)s cannot be "
                "computed. Ask the administrator to upgrade the chinesecalendar package."
            )
            % {"first": first, "last": last, "year": year},
            code="calendar_not_covered",
        )
        self.year = year


def covered_years() -> tuple[int, int]:
    """The first and last year the installed calendar has official holiday data for."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def config(name: str) -> int:
    return settings.SUGGESTION_DEADLINES[name]


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarNotCovered(day.year) from None


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def add_months(start: date, months: int) -> date:
    """Same day ``months`` calendar months later, or the last day of that month if it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


# --- The lifecycle's deadlines -------------------------------------------------------------


def assignment_due(submitted_on: date) -> date:
    """The office assigns within N working days of submission (default 5)."""
    return add_working_days(submitted_on, config("ASSIGN_WORKING_DAYS"))


def reply_due(assigned_on: date) -> date:
    """The lead unit replies within N calendar months of 交办 (default 3)."""
    return add_months(assigned_on, config("REPLY_MONTHS"))


def extension_limit(assigned_on: date) -> date:
    """The latest reply deadline an approved extension may set (default 6 months after 交办)."""
    return add_months(assigned_on, config("EXTENSION_MAX_MONTHS"))


def rereply_due(evaluated_on: date) -> date:
    """After 不满意 the unit replies again within N calendar months (default 1)."""
    return add_months(evaluated_on, config("REREPLY_MONTHS"))


def return_request_due(assigned_on: date) -> date:
    """A unit may ask to return an item up to N working days after 交办 (default 7)."""
    return add_working_days(assigned_on, config("RETURN_REQUEST_WORKING_DAYS"))


def co_opinion_due(assigned_on: date) -> date:
    """Co-units give the lead unit their written opinion within N calendar months of 交办 (default 1)."""
    return add_months(assigned_on, config("CO_OPINION_MONTHS"))


def due_soon_days() -> int:
    return config("DUE_SOON_DAYS")
