"""Deadlines of the suggestion lifecycle and the working-day calendar they use.

The periods come from ``settings.SUGGESTION_DEADLINES`` (legal defaults in docs/domain.md):
months are calendar months, clamped to the end of a shorter month (2024-01-31 plus
three months is 2024-04-30); working days follow the official Chinese calendar —
weekends, public holidays and make-up workdays (调休) — as published by the State
Council each November or December.

Two sources, in this order:

1. a year the suggestion office entered in the product (``CalendarYear``/``CalendarDay``,
   see ``services.calendar_year_enter``): its listed holidays and make-up working days,
   every other day following the week;
2. otherwise the ``chinesecalendar`` package (pinned in requirements.txt), which covers a
   fixed range of years;
3. otherwise a *provisional* calendar derived from the law (``suggestions.statutory``): the
   statutory holidays with their substitute days off, and the weekends.

A deadline counted on a provisional year is stored as provisional (``WorkingDeadline``) and
shown so, and is recomputed when the office enters that year (``services.calendar_year_enter``);
a system check (see ``suggestions.checks``) and the office's home page say so while the current
or next year is provisional. So the product never stops taking suggestions at the turn of a year.

The entered schedules are read from the database once per computation (``WorkingCalendar``,
one query) rather than cached across requests, so a year entered in one process is used by
every other at once.
"""

from calendar import monthrange
from datetime import date, timedelta
from typing import NamedTuple

import chinese_calendar
from django.conf import settings

from suggestions import statutory
from suggestions.holidays import WORKING_DAY_NAME, ScheduleEntry
from suggestions.models import CalendarYear


def package_years() -> tuple[int, int]:
    """The first and last year the installed ``chinesecalendar`` has official holiday data for."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def package_schedule(year: int) -> list[ScheduleEntry]:
    """The package's schedule for ``year`` as the office would enter it: every statutory holiday
    (with its Chinese name) and every weekend make-up working day; empty for a year it lacks.

    Entering a year replaces the package for that year, so the entry form starts from this.
    """
    chinese_names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    entries = [
        ScheduleEntry(day=day, is_working_day=False, name=chinese_names.get(name, name or "放假"))
        for day, name in chinese_calendar.holidays.items()
        if day.year == year
    ]
    entries += [
        ScheduleEntry(day=day, is_working_day=True, name=WORKING_DAY_NAME)
        for day in chinese_calendar.workdays
        if day.year == year and day.weekday() >= 5
    ]
    return sorted(entries, key=lambda entry: entry.day)


def entered_years() -> list[int]:
    """The years the office entered, in order. One query."""
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def covered_years() -> list[int]:
    """Every year with an official schedule: the package's range and the entered years. One query.

    Other years are counted on the provisional calendar."""
    first, last = package_years()
    return sorted(set(range(first, last + 1)) | set(entered_years()))


def years_ahead_without_package(today: date) -> list[int]:
    """This year, and from November next year (the State Council publishes the next year's arrangement in
    November or December), when the package does not cover them. No query."""
    first, last = package_years()
    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [year for year in wanted if not first <= year <= last]


def provisional_years(today: date) -> list[int]:
    """The years of ``years_ahead_without_package`` that the office has not entered either: their
    deadlines are being counted provisionally now or soon. One query, none when the package covers them."""
    missing = years_ahead_without_package(today)
    if not missing:
        return []
    entered = set(CalendarYear.objects.filter(year__in=missing).values_list("year", flat=True))
    return [year for year in missing if year not in entered]


class WorkingDeadline(NamedTuple):
    """A deadline counted in working days; ``provisional`` when a year it crossed had no official schedule."""

    due: date
    provisional: bool


class WorkingCalendar:
    """Which days are working days, for one computation.

    The first question about a year loads the entered schedules of that year and its neighbours
    in one query, so a deadline that crosses New Year costs one query; later questions about
    those years cost none. Create one per computation (or per loop of computations) and pass it
    on; do not keep it across requests, or a schedule entered meanwhile would be missed.

    ``provisional_years_used`` collects the years answered from the provisional calendar.
    """

    def __init__(self):
        self._entered: dict[int, dict[date, bool] | None] = {}  # year → {date: working?}, None: not entered
        self.provisional_years_used: set[int] = set()

    def _entered_year(self, year: int) -> dict[date, bool] | None:
        if year not in self._entered:
            wanted = {year - 1, year, year + 1} - set(self._entered)
            found: dict[int, dict[date, bool]] = {}
            rows = CalendarYear.objects.filter(year__in=wanted).values_list(
                "year", "days__date", "days__is_working_day"
            )
            for entered_year, day, working in rows:
                exceptions = found.setdefault(entered_year, {})
                if day is not None:
                    exceptions[day] = working
            for each in wanted:
                self._entered[each] = found.get(each)
        return self._entered[year]

    def is_working_day(self, day: date) -> bool:
        exceptions = self._entered_year(day.year)
        if exceptions is not None:
            return exceptions.get(day, day.weekday() < 5)
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self.provisional_years_used.add(day.year)
            return statutory.is_provisional_working_day(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
        return self.working_deadline(start, days).due

    def working_deadline(self, start: date, days: int) -> WorkingDeadline:
        """The ``days``-th working day after ``start``, and whether a provisional year was counted on."""
        if days < 1:
            raise ValueError("days must be at least 1")
        used_before = set(self.provisional_years_used)
        self.provisional_years_used.clear()
        day = start
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        provisional = bool(self.provisional_years_used)
        self.provisional_years_used |= used_before
        return WorkingDeadline(day, provisional)


def config(name: str) -> int:
    return settings.SUGGESTION_DEADLINES[name]


def is_working_day(day: date, *, calendar: WorkingCalendar | None = None) -> bool:
    """Whether ``day`` is a working day. One query unless ``calendar`` already read that year."""
    return (calendar or WorkingCalendar()).is_working_day(day)


def add_working_days(start: date, days: int, *, calendar: WorkingCalendar | None = None) -> date:
    """The ``days``-th working day after ``start``. One query unless ``calendar`` already read those years."""
    return (calendar or WorkingCalendar()).add_working_days(start, days)


def add_months(start: date, months: int) -> date:
    """Same day ``months`` calendar months later, or the last day of that month if it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


# --- The lifecycle's deadlines -------------------------------------------------------------


def assignment_due(submitted_on: date, *, calendar: WorkingCalendar | None = None) -> WorkingDeadline:
    """The office assigns within N working days of submission (default 5)."""
    return (calendar or WorkingCalendar()).working_deadline(submitted_on, config("ASSIGN_WORKING_DAYS"))


def reply_due(assigned_on: date) -> date:
    """The lead unit replies within N calendar months of 交办 (default 3)."""
    return add_months(assigned_on, config("REPLY_MONTHS"))


def extension_limit(assigned_on: date) -> date:
    """The latest reply deadline an approved extension may set (default 6 months after 交办)."""
    return add_months(assigned_on, config("EXTENSION_MAX_MONTHS"))


def rereply_due(evaluated_on: date) -> date:
    """After 不满意 the unit replies again within N calendar months (default 1)."""
    return add_months(evaluated_on, config("REREPLY_MONTHS"))


def return_request_due(assigned_on: date, *, calendar: WorkingCalendar | None = None) -> WorkingDeadline:
    """A unit may ask to return an item up to N working days after 交办 (default 7)."""
    return (calendar or WorkingCalendar()).working_deadline(assigned_on, config("RETURN_REQUEST_WORKING_DAYS"))


def co_opinion_due(assigned_on: date) -> date:
    """Co-units give the lead unit their written opinion within N calendar months of 交办 (default 1)."""
    return add_months(assigned_on, config("CO_OPINION_MONTHS"))


def due_soon_days() -> int:
    return config("DUE_SOON_DAYS")
