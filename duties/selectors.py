from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from core.roles import Role
from core.scoping import scoped, staff_station_q
from deputies.models import ConstituentLink
from deputies.selectors import deputies_visible_to
from duties.models import GridAssignment, VoterContact


def open_assignments_of(deputy_id: int) -> QuerySet[GridAssignment]:
    """A deputy's current grid assignments, with the grid's place in the tree loaded."""
    return GridAssignment.objects.filter(deputy_id=deputy_id, end_date__isnull=True).select_related(
        "grid__centre__community__station"
    )


def activities_visible_to(user):
    """Activities: all for office/leaders/admins, the subtree for staff, attended ones for a deputy."""
    from duties.models import Activity, ActivityAttendance

    base = (
        Activity.objects.select_related("station")
        .prefetch_related(Prefetch("attendance", queryset=ActivityAttendance.objects.select_related("deputy")))
        .annotate(present_count=Count("attendance", filter=Q(attendance__status="present")))
    )
    return scoped(
        user,
        base,
        staff=lambda user: staff_station_q(user, "station__"),
        deputy=lambda user: Q(attendance__deputy=user.deputy_id),
    )


def grid_duties_visible_to(user) -> QuerySet:
    """ "四个一" duties ``user`` may see, with deputy, grid and who recorded them loaded.

    - office, leaders, admins: all;
    - station staff: the duties done in the grids of their stations' subtree;
    - a deputy: their own;
    - unit officers and anyone else: none.
    """
    from duties.models import GridDuty

    return scoped(
        user,
        GridDuty.objects.select_related("deputy", "grid", "recorded_by", "updated_by"),
        staff=lambda user: staff_station_q(user, "grid__centre__community__station__"),
        deputy=lambda user: Q(deputy_id=user.deputy_id),
        distinct=(Role.STATION_STAFF,),
    )


def contact_deputies_for(user) -> QuerySet:
    """Deputies whose contact work ``user`` may see: a deputy only themselves; others as for deputies.

    A deputy does not see colleagues' contacts, which name constituents.
    """
    deputies = deputies_visible_to(user)
    if user.is_authenticated and user.has_role(Role.DEPUTY):
        return deputies.filter(id=user.deputy_id)
    return deputies


def voter_contacts_visible_to(user):
    """Voter contacts of the deputies in ``contact_deputies_for(user)``, with deputy and link loaded."""
    return VoterContact.objects.filter(deputy__in=contact_deputies_for(user).values("id")).select_related(
        "deputy", "constituent", "recorded_by"
    )


def voter_contact_counts(deputy_ids, year: int) -> dict[int, dict[str, int]]:
    """For each deputy: contacts and people contacted in ``year``, and linked constituents. Two queries."""
    deputy_ids = list(deputy_ids)
    result = {deputy_id: {"contacts": 0, "people": 0, "links": 0} for deputy_id in deputy_ids}
    for row in (
        VoterContact.objects.filter(deputy_id__in=deputy_ids, date__year=year)
        .values("deputy_id")
        .annotate(contacts=Count("id"), people=Sum("people"))
        .order_by()
    ):
        result[row["deputy_id"]].update(contacts=row["contacts"], people=row["people"] or 0)
    for row in (
        ConstituentLink.objects.filter(deputy_id__in=deputy_ids).values("deputy_id").annotate(n=Count("id")).order_by()
    ):
        result[row["deputy_id"]]["links"] = row["n"]
    return result


def duty_period_bounds(period: str, today):
    """First and last day of the month, quarter or year containing ``today``."""
    from calendar import monthrange
    from datetime import date

    if period == "month":
        return date(today.year, today.month, 1), date(today.year, today.month, monthrange(today.year, today.month)[1])
    if period == "quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        last_month = first_month + 2
        return date(today.year, first_month, 1), date(today.year, last_month, monthrange(today.year, last_month)[1])
    return date(today.year, 1, 1), date(today.year, 12, 31)


def duty_compliance(deputy_ids, today) -> dict[int, list[dict]]:
    """For each deputy: each "四个一" duty, its current period, how many done and whether it is met.

    One query for all deputies: the duties recorded this year (the longest period).
    """
    from duties.models import DUTY_PERIODS, GridDuty, GridDutyKind

    deputy_ids = list(deputy_ids)
    year_start, year_end = duty_period_bounds("year", today)
    rows = GridDuty.objects.filter(deputy_id__in=deputy_ids, date__gte=year_start, date__lte=year_end).values_list(
        "deputy_id", "kind", "date"
    )
    done: dict = {}
    for deputy_id, kind, day in rows:
        done.setdefault((deputy_id, kind), []).append(day)
    result = {}
    for deputy_id in deputy_ids:
        duties = []
        for kind in GridDutyKind:
            period = DUTY_PERIODS[kind]
            start, end = duty_period_bounds(period, today)
            count = sum(1 for day in done.get((deputy_id, kind.value), []) if start <= day <= end)
            duties.append(
                {
                    "kind": kind.value,
                    "label": kind.label,
                    "period": period.value,
                    "period_label": period.label,
                    "start": start,
                    "end": end,
                    "done": count,
                    "met": count >= 1,
                }
            )
        result[deputy_id] = duties
    return result


# --- A year of "四个一", period by period ----------------------------------------------------------

# How a period of a duty stands: done; missed (ended, due, nothing recorded); open (the current period,
# nothing recorded yet); not due (the deputy held no grid then); future (not begun).
DONE, MISSED, OPEN, NOT_DUE, FUTURE = "done", "missed", "open", "not_due", "future"


@dataclass(frozen=True)
class DutyPeriodStatus:
    """One month, quarter or year of one duty for one deputy."""

    start: date
    end: date
    label: str
    months: int  # how many months it spans (a table cell's width)
    status: str
    count: int  # duties of that kind recorded in it

    @property
    def due(self) -> bool:
        return self.status in (DONE, MISSED, OPEN)


def _period_label(period: str, start: date) -> str:
    if period == "month":
        return _("Month %(month)s") % {"month": start.month}
    if period == "quarter":
        return _("Q%(quarter)s") % {"quarter": (start.month - 1) // 3 + 1}
    return _("Year %(year)s") % {"year": start.year}


def year_periods(period: str, year: int) -> list[tuple[date, date]]:
    """The months, quarters or the whole of ``year``, as (first day, last day)."""
    from calendar import monthrange

    if period == "year":
        return [(date(year, 1, 1), date(year, 12, 31))]
    step = 1 if period == "month" else 3
    return [
        (date(year, month, 1), date(year, month + step - 1, monthrange(year, month + step - 1)[1]))
        for month in range(1, 13, step)
    ]


def duty_year(deputy_ids, year: int, today: date) -> dict[int, list[dict]]:
    """For each deputy, each "四个一" duty over ``year``, period by period. Two queries.

    A period is due when the deputy held a grid assignment on any day of it up to today (or the end of
    the year); it is done when a duty of that kind was recorded in it. Each duty's row gives its
    periods (``DutyPeriodStatus``), how many were due and done (the current period counts as due, as
    in the yearly figures), and the periods missed, so that a deputy who missed March's patrol is shown
    as missing March.
    """
    from duties.models import DUTY_PERIODS, GridDuty, GridDutyKind

    deputy_ids = list(deputy_ids)
    start, year_end = date(year, 1, 1), date(year, 12, 31)
    end = min(year_end, today)
    held_by: dict[int, list] = {deputy_id: [] for deputy_id in deputy_ids}
    for deputy_id, a_start, a_end in GridAssignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), deputy_id__in=deputy_ids, start_date__lte=end
    ).values_list("deputy_id", "start_date", "end_date"):
        held_by[deputy_id].append((a_start, a_end or end))
    recorded: dict[tuple, list] = {}
    for deputy_id, kind, day in GridDuty.objects.filter(
        deputy_id__in=deputy_ids, date__range=(start, year_end)
    ).values_list("deputy_id", "kind", "date"):
        recorded.setdefault((deputy_id, kind), []).append(day)
    result = {}
    for deputy_id in deputy_ids:
        rows = []
        for kind in GridDutyKind:
            period = DUTY_PERIODS[kind]
            days = recorded.get((deputy_id, kind.value), [])
            periods, due, done = [], 0, 0
            months = 12 if period == "year" else (1 if period == "month" else 3)
            for p_start, p_end in year_periods(period, year):
                count = sum(1 for day in days if p_start <= day <= p_end)
                held = p_start <= end and any(
                    a_start <= min(p_end, end) and a_end >= p_start for a_start, a_end in held_by[deputy_id]
                )
                if p_start > end:
                    status = FUTURE
                elif not held:
                    status = NOT_DUE
                elif count:
                    status = DONE
                else:
                    status = OPEN if p_end >= today else MISSED
                due += held
                done += held and count > 0
                periods.append(DutyPeriodStatus(p_start, p_end, _period_label(period, p_start), months, status, count))
            rows.append(
                {
                    "kind": kind.value,
                    "label": kind.label,
                    "period": period,
                    "periods": periods,
                    "due": due,
                    "done": done,
                    "recorded": len([d for d in days if d <= end]),
                    "missed": [p for p in periods if p.status == MISSED],
                }
            )
        result[deputy_id] = rows
    return result
