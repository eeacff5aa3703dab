"""The "四个一" duties: for each deputy, the periods due, the periods done and the duties recorded."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from duties.models import DutyPeriod
from duties.selectors import duty_year


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
    # The year period by period (``duties.selectors.DutyPeriodStatus``), and the periods missed.
    periods: list = field(default_factory=list)
    missed: list = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None

    @property
    def required(self) -> str:
        return required_label(self.period)

    @property
    def missed_labels(self) -> str:
        """The periods missed, as the file prints them: "3月、5月"."""
        return "、".join(p.label for p in self.missed)


def duty_compliance(deputy_ids, year: int) -> dict[int, list[DutyCompliance]]:
    """For each deputy, each "四个一" duty: periods due, periods done, duties recorded, and the year
    period by period (which month's patrol was missed). Two queries (``duties.selectors.duty_year``).

    A period (month, quarter, year) is due when the deputy held an open grid
    assignment on any day of it up to today; it is done when at least one duty of
    that kind was recorded in it. The yearly 述职 is due once a year when assigned.
    """
    return {
        deputy_id: [
            DutyCompliance(
                kind=row["kind"],
                label=row["label"],
                period=row["period"],
                due=row["due"],
                done=row["done"],
                recorded=row["recorded"],
                periods=row["periods"],
                missed=row["missed"],
            )
            for row in rows
        ]
        for deputy_id, rows in duty_year(deputy_ids, year, timezone.localdate()).items()
    }


def compliance_totals(rows: list[DutyCompliance]) -> tuple[int, int]:
    return sum(r.done for r in rows), sum(r.due for r in rows)
