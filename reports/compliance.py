"""The "四个一" duties: for each deputy, the periods due, the periods done and the duties recorded."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext

from duties.models import DUTY_PERIODS, DutyPeriod, GridAssignment, GridDuty, GridDutyKind
from reports.metrics import year_bounds


def _periods(period: str, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The months, quarters or the year between ``start`` and ``end`` (inclusive), as date ranges."""
    result = []
    if period == DutyPeriod.YEAR:
        return [(datetime.date(start.year, 1, 1), datetime.date(start.year, 12, 31))]
    step = 1 if period == DutyPeriod.MONTH else 3
    month = 1
    while month <= 12:
        first = datetime.date(start.year, month, 1)
        last_month = month + step - 1
        last = (
            datetime.date(start.year, last_month + 1, 1) - datetime.timedelta(days=1)
            if last_month < 12
            else datetime.date(start.year, 12, 31)
        )
        if first <= end:
            result.append((first, last))
        month += step
    return result


def required_label(period: str) -> str:
    """How often a "四个一" duty is due, as a phrase ("每月一次")."""
    return {
        DutyPeriod.MONTH: gettext("Once a month"),
        DutyPeriod.QUARTER: gettext("Once a quarter"),
        DutyPeriod.YEAR: gettext("Once a year"),
    }[period]


@dataclass
class DutyCompliance:
    kind: str
    label: str
    period: str
    due: int
    done: int
    recorded: int

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None

    @property
    def required(self) -> str:
        return required_label(self.period)


def duty_compliance(deputy_ids, year: int) -> dict[int, list[DutyCompliance]]:
    """For each deputy, each "四个一" duty: periods due, periods done, duties recorded. Two queries.

    A period (month, quarter, year) is due when the deputy held an open grid
    assignment on any day of it up to today; it is done when at least one duty of
    that kind was recorded in it. The yearly 述职 is due once a year when assigned.
    """
    start, end = year_bounds(year)
    deputy_ids = list(deputy_ids)
    assignments = defaultdict(list)
    for deputy_id, a_start, a_end in GridAssignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), deputy_id__in=deputy_ids, start_date__lte=end
    ).values_list("deputy_id", "start_date", "end_date"):
        assignments[deputy_id].append((a_start, a_end or end))
    duties = defaultdict(list)
    for deputy_id, kind, date in GridDuty.objects.filter(
        deputy_id__in=deputy_ids, date__range=(start, end)
    ).values_list("deputy_id", "kind", "date"):
        duties[(deputy_id, kind)].append(date)
    result = {}
    for deputy_id in deputy_ids:
        rows = []
        for kind in GridDutyKind:
            period = DUTY_PERIODS[kind]
            due = done = 0
            dates = duties.get((deputy_id, kind.value), [])
            for p_start, p_end in _periods(period, start, end):
                held = any(a_start <= min(p_end, end) and a_end >= p_start for a_start, a_end in assignments[deputy_id])
                if not held:
                    continue
                due += 1
                if any(p_start <= d <= p_end for d in dates):
                    done += 1
            rows.append(
                DutyCompliance(
                    kind=kind.value,
                    label=kind.label,
                    period=period,
                    due=due,
                    done=done,
                    recorded=len(dates),
                )
            )
        result[deputy_id] = rows
    return result


def compliance_totals(rows: list[DutyCompliance]) -> tuple[int, int]:
    return sum(r.done for r in rows), sum(r.due for r in rows)
