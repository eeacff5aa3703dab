from django.db.models import Count, Prefetch, Q, QuerySet, Sum

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
