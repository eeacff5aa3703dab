from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from accounts.models import Role
from accounts.scoping import staff_station_q
from deputies.models import ConstituentLink, Deputy
from deputies.selectors import deputies_visible_to
from liaison.models import Grid, GridAssignment, Station, VoterContact


def stations_visible_to(user) -> QuerySet[Station]:
    """Stations ``user`` may see, with their parent loaded.

    - office, leaders, admins: all;
    - station staff: their stations and everything below them;
    - a deputy: stations where they are resident or that hold a grid they are assigned to;
    - unit officers and anyone else: none.
    """
    base = Station.objects.select_related("parent")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.sees_everything:
        return base
    role = user.effective_role
    if role == Role.STATION_STAFF:
        scope = staff_station_q(user)
    elif role == Role.DEPUTY and user.deputy_id:
        scope = Q(resident_deputies=user.deputy_id) | Q(
            communities__grid_centres__grids__assignments__deputy=user.deputy_id,
            communities__grid_centres__grids__assignments__end_date__isnull=True,
        )
    else:
        return base.none()
    return base.filter(id__in=Station.objects.filter(scope).values("id"))


def grids_visible_to(user) -> QuerySet[Grid]:
    """Grids ``user`` may see, with centre, community and station loaded.

    Station staff see the grids of their stations' communities; a deputy sees the
    grids they are assigned to; office, leaders and admins see all.
    """
    base = Grid.objects.select_related("centre__community__station")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.sees_everything:
        return base
    role = user.effective_role
    if role == Role.STATION_STAFF:
        scope = staff_station_q(user, "centre__community__station__")
    elif role == Role.DEPUTY and user.deputy_id:
        scope = Q(assignments__deputy=user.deputy_id, assignments__end_date__isnull=True)
    else:
        return base.none()
    return base.filter(id__in=Grid.objects.filter(scope).values("id"))


def open_assignments_of(deputy_id: int) -> QuerySet[GridAssignment]:
    """A deputy's current grid assignments, with the grid's place in the tree loaded."""
    return GridAssignment.objects.filter(deputy_id=deputy_id, end_date__isnull=True).select_related(
        "grid__centre__community__station"
    )


def deputies_of_station(station: Station, *, with_residents_above: bool = False) -> QuerySet[Deputy]:
    """Deputies who belong to ``station``: resident at it or at a station below it, or holding an
    open grid assignment in its subtree (the same reach as station staff's view of deputies).

    ``with_residents_above`` also admits the residents of the stations above it: hub and area
    deputies receive constituents at the points below them.
    """
    scope = station_subtree_q(station.id, "resident_stations__") | (
        Q(grid_assignments__end_date__isnull=True)
        & station_subtree_q(station.id, "grid_assignments__grid__centre__community__station__")
    )
    if with_residents_above:
        scope |= Q(resident_stations__children=station.id) | Q(resident_stations__children__children=station.id)
    return Deputy.objects.filter(id__in=Deputy.objects.filter(scope).values("id"))


# --- Reception, visits and opinions -----------------------------------------------------------------


def reception_days_visible_to(user):
    """Reception days ``user`` may see, with station and roster loaded (two extra queries).

    Office, leaders, admins: all. Station staff: their stations' subtree. A deputy: days
    they are rostered on (themselves or through a group) and the days of stations where
    they are resident. Others: none.
    """
    from liaison.models import ReceptionDay, RosterEntry

    base = ReceptionDay.objects.select_related("station", "rule").prefetch_related(
        Prefetch("roster", queryset=RosterEntry.objects.select_related("deputy", "group"))
    )
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.sees_everything:
        return base
    role = user.effective_role
    if role == Role.STATION_STAFF:
        scope = staff_station_q(user, "station__")
    elif role == Role.DEPUTY and user.deputy_id:
        scope = (
            Q(roster__deputy=user.deputy_id)
            | Q(roster__group__members=user.deputy_id)
            | Q(station__resident_deputies=user.deputy_id)
        )
    else:
        return base.none()
    return base.filter(id__in=ReceptionDay.objects.filter(scope).values("id"))


def reception_days_of_deputy(deputy_id: int):
    """Days a deputy is rostered on, directly or through one of their groups."""
    from liaison.models import ReceptionDay, RosterEntry

    ids = ReceptionDay.objects.filter(Q(roster__deputy=deputy_id) | Q(roster__group__members=deputy_id)).values("id")
    return (
        ReceptionDay.objects.filter(id__in=ids)
        .select_related("station")
        .prefetch_related(Prefetch("roster", queryset=RosterEntry.objects.select_related("deputy", "group")))
        .order_by("date")
    )


def visits_visible_to(user):
    """Visits ``user`` may see, with station, grid, recorder, deputies and constituents loaded.

    Office, leaders, admins: all. Station staff: their stations' subtree. A deputy: the
    visits they received or recorded. Others: none. Each row carries ``opinion_count``.
    """
    from liaison.models import Opinion, Visit

    base = (
        Visit.objects.select_related("station", "grid", "recorded_by", "reception_day")
        .prefetch_related("deputies", "constituents")
        .annotate(opinion_count=_count_of(Opinion.objects.filter(visit=OuterRef("pk")), "visit"))
    )
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.sees_everything:
        return base
    role = user.effective_role
    if role == Role.STATION_STAFF:
        return base.filter(station__in=_staff_station_ids(user))
    elif role == Role.DEPUTY and user.deputy_id:
        scope = Q(deputies=user.deputy_id) | Q(recorded_by=user)
    else:
        return base.none()
    return base.filter(id__in=Visit.objects.filter(scope).values("id"))


def _count_of(related: QuerySet, column: str) -> Coalesce:
    """A correlated ``COUNT`` of ``related`` rows per outer row, 0 when there are none.

    Unlike ``Count()`` on the relation it needs no GROUP BY over the whole list: PostgreSQL evaluates
    it only for the rows of the page, when the list is read in index order under a LIMIT.
    """
    counted = related.order_by().values(column).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _staff_station_ids(user) -> QuerySet[Station]:
    """The ids of the stations in a staff member's subtree: rows are then matched on their station column."""
    return Station.objects.filter(staff_station_q(user)).values("id")


def opinion_scope_q(user) -> Q | None:
    """The rows of ``Opinion`` a user may see as a Q, ``None`` for "all"; raises nothing.

    Station staff: their stations' subtree. A deputy: opinions from visits they received
    or recorded, of the grids they are assigned to, of the stations where they are
    resident, and those addressed to them (their QR code). A unit officer: opinions
    referred to their unit. Returns ``Q(pk__in=[])`` for anyone else.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.sees_everything:
        return None
    role = user.effective_role
    if role == Role.STATION_STAFF:
        return Q(station__in=_staff_station_ids(user))
    if role == Role.DEPUTY and user.deputy_id:
        deputy = user.deputy_id
        return (
            Q(visit__deputies=deputy)
            | Q(recorded_by=user)
            | Q(deputy=deputy)
            | Q(grid__assignments__deputy=deputy, grid__assignments__end_date__isnull=True)
            | Q(station__resident_deputies=deputy)
        )
    if role == Role.UNIT_OFFICER and user.unit_id:
        return Q(referral_unit=user.unit_id)
    return Q(pk__in=[])


def opinions_visible_to(user):
    """Opinions ``user`` may see (see ``opinion_scope_q``), with their relations loaded.

    Each row carries ``photo_count``; photos themselves are loaded by the detail views.
    """
    from liaison.models import Opinion, OpinionPhoto

    base = Opinion.objects.select_related("station", "grid", "referral_unit", "visit", "deputy").annotate(
        photo_count=_count_of(OpinionPhoto.objects.filter(opinion=OuterRef("pk")), "opinion")
    )
    scope = opinion_scope_q(user)
    if scope is None:
        return base
    if user.is_authenticated and user.effective_role == Role.STATION_STAFF:
        # A condition on the opinion's own station column (no join): the (station, received_on) index serves it.
        return base.filter(scope)
    return base.filter(id__in=Opinion.objects.filter(scope).values("id"))


def opinion_detail_for(user, pk: int):
    """One visible opinion with its history, photos and referral feedback, or ``DoesNotExist``."""
    from liaison.models import OpinionEvent, ReferralFeedback

    return (
        opinions_visible_to(user)
        .prefetch_related(
            "photos",
            Prefetch("events", queryset=OpinionEvent.objects.select_related("actor")),
            Prefetch("referral_feedback", queryset=ReferralFeedback.objects.select_related("recorded_by")),
        )
        .get(pk=pk)
    )


def activities_visible_to(user):
    """Activities: all for office/leaders/admins, the subtree for staff, attended ones for a deputy."""
    from liaison.models import Activity, ActivityAttendance

    base = (
        Activity.objects.select_related("station")
        .prefetch_related(Prefetch("attendance", queryset=ActivityAttendance.objects.select_related("deputy")))
        .annotate(present_count=Count("attendance", filter=Q(attendance__status="present")))
    )
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.sees_everything:
        return base
    role = user.effective_role
    if role == Role.STATION_STAFF:
        scope = staff_station_q(user, "station__")
    elif role == Role.DEPUTY and user.deputy_id:
        scope = Q(attendance__deputy=user.deputy_id)
    else:
        return base.none()
    return base.filter(id__in=Activity.objects.filter(scope).values("id"))


# --- 双联: linked constituents and voter contacts ------------------------------------------------------


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


def personal_data_accesses_for(user):
    """The personal-data audit log: office and admins only."""
    from liaison.models import PersonalDataAccess

    if not user.has_role(Role.OFFICE, Role.ADMIN):
        return PersonalDataAccess.objects.none()
    return PersonalDataAccess.objects.select_related("user")


# --- Station statistics --------------------------------------------------------------------------------


def station_subtree_q(station_id: int, prefix: str = "station__") -> Q:
    """Rows whose station is ``station_id`` or below it in the 1+4+N tree."""
    return (
        Q(**{f"{prefix}id": station_id})
        | Q(**{f"{prefix}parent_id": station_id})
        | Q(**{f"{prefix}parent__parent_id": station_id})
    )


def station_statistics(*, stations, date_from, date_to) -> dict:
    """The five figures for these stations between two dates (inclusive). Two queries.

    ``stations`` is a queryset of stations (already scoped to the reader). Person-times
    are the sum of visits' headcounts on dates in the period; the four opinion figures
    count the opinions received in the period: all of them, those answered on site,
    those escalated into suggestions, and those resolved (by now).
    """
    from liaison.models import Opinion, OpinionOutcome, Visit

    station_ids = stations.values("id")
    visits = Visit.objects.filter(station__in=station_ids)
    opinions = Opinion.objects.filter(station__in=station_ids)
    if date_from:
        visits = visits.filter(date__gte=date_from)
        opinions = opinions.filter(received_on__gte=date_from)
    if date_to:
        visits = visits.filter(date__lte=date_to)
        opinions = opinions.filter(received_on__lte=date_to)
    person_times = visits.aggregate(total=Sum("headcount"))["total"] or 0
    figures = opinions.aggregate(
        opinions=Count("id"),
        answered_on_site=Count("id", filter=Q(outcome=OpinionOutcome.ANSWERED_ON_SITE)),
        escalated=Count("id", filter=Q(outcome=OpinionOutcome.ESCALATED)),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
    )
    return {"visits_person_times": person_times, **figures}


def station_monthly_series(*, stations, date_from, date_to) -> list[dict]:
    """Person-times and opinions per month in the period, for the dashboard chart. Two queries."""
    from django.db.models.functions import TruncMonth

    from liaison.models import Opinion, Visit

    station_ids = stations.values("id")
    visits = (
        Visit.objects.filter(station__in=station_ids, date__gte=date_from, date__lte=date_to)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("headcount"))
    )
    opinions = (
        Opinion.objects.filter(station__in=station_ids, received_on__gte=date_from, received_on__lte=date_to)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(total=Count("id"))
    )
    by_month: dict = {}
    for row in visits:
        by_month.setdefault(_month_key(row["month"]), {})["person_times"] = row["total"]
    for row in opinions:
        by_month.setdefault(_month_key(row["month"]), {})["opinions"] = row["total"]
    series = []
    year, month = date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        values = by_month.get((year, month), {})
        series.append(
            {
                "year": year,
                "month": month,
                "person_times": values.get("person_times", 0),
                "opinions": values.get("opinions", 0),
            }
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series


def _month_key(value) -> tuple[int, int]:
    return (value.year, value.month)


# --- Grid duties "四个一" ------------------------------------------------------------------------------


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
    from liaison.models import DUTY_PERIODS, GridDuty, GridDutyKind

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
