from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from core import precomputed
from core.periods import Basis, Period
from core.roles import Role
from core.scoping import scope_q, scoped, staff_station_q
from liaison.periods import figure_q
from organisation.selectors import staff_station_ids

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
    return scoped(
        user,
        base,
        staff=lambda user: staff_station_q(user, "station__"),
        deputy=lambda user: (
            Q(roster__deputy=user.deputy_id)
            | Q(roster__group__members=user.deputy_id)
            | Q(station__resident_deputies=user.deputy_id)
        ),
    )


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
    return scoped(
        user,
        base,
        # A condition on the visit's own station column: no join, no duplicate rows.
        staff=lambda user: Q(station__in=staff_station_ids(user)),
        deputy=lambda user: Q(deputies=user.deputy_id) | Q(recorded_by=user),
        distinct=[Role.DEPUTY],
    )


def _count_of(related: QuerySet, column: str) -> Coalesce:
    """A correlated ``COUNT`` of ``related`` rows per outer row, 0 when there are none.

    Unlike ``Count()`` on the relation it needs no GROUP BY over the whole list: PostgreSQL evaluates
    it only for the rows of the page, when the list is read in index order under a LIMIT.
    """
    counted = related.order_by().values(column).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _opinions_of_deputy(user) -> Q:
    deputy = user.deputy_id
    return (
        Q(visit__deputies=deputy)
        | Q(recorded_by=user)
        | Q(deputy=deputy)
        | Q(grid__assignments__deputy=deputy, grid__assignments__end_date__isnull=True)
        | Q(station__resident_deputies=deputy)
    )


_OPINION_RULES = {
    "staff": lambda user: Q(station__in=staff_station_ids(user)),
    "deputy": _opinions_of_deputy,
    "unit_officer": lambda user: Q(referral_unit=user.unit_id),
}


def opinion_scope_q(user) -> Q | None:
    """The rows of ``Opinion`` a user may see as a Q, ``None`` for "all"; raises nothing.

    Station staff: their stations' subtree. A deputy: opinions from visits they received
    or recorded, of the grids they are assigned to, of the stations where they are
    resident, and those addressed to them (their QR code). A unit officer: opinions
    referred to their unit. Returns ``Q(pk__in=[])`` for anyone else.
    """
    return scope_q(user, **_OPINION_RULES)


def opinions_visible_to(user):
    """Opinions ``user`` may see (see ``opinion_scope_q``), with their relations loaded.

    Each row carries ``photo_count``; photos themselves are loaded by the detail views.
    """
    from liaison.models import Opinion, OpinionPhoto

    # The visit is joined by the detail only (``opinion_detail_for``): a list shows its id at most, and every
    # join costs each page's planning.
    base = Opinion.objects.select_related("station", "grid", "referral_unit", "deputy").annotate(
        photo_count=_count_of(OpinionPhoto.objects.filter(opinion=OuterRef("pk")), "opinion")
    )
    # Staff's condition is on the opinion's own station column (no join): the (station, received_on, id)
    # index serves it. The other roles' conditions join, hence the id subquery.
    return scoped(user, base, **_OPINION_RULES, distinct=[Role.DEPUTY, Role.UNIT_OFFICER])


def opinion_detail_for(user, pk: int):
    """One visible opinion with its history, photos and referral feedback, or ``DoesNotExist``."""
    from liaison.models import OpinionEvent, ReferralFeedback

    return (
        opinions_visible_to(user)
        .select_related("visit")
        .prefetch_related(
            "photos",
            Prefetch("events", queryset=OpinionEvent.objects.select_related("actor")),
            Prefetch("referral_feedback", queryset=ReferralFeedback.objects.select_related("recorded_by")),
        )
        .get(pk=pk)
    )


# --- 双联: linked constituents and voter contacts ------------------------------------------------------


def personal_data_accesses_for(user):
    """The personal-data audit log: office and admins only."""
    from liaison.models import PersonalDataAccess

    if not user.has_role(Role.OFFICE, Role.ADMIN):
        return PersonalDataAccess.objects.none()
    return PersonalDataAccess.objects.select_related("user")


# --- Station statistics --------------------------------------------------------------------------------


def statistics_scope_refusal(user, *, station=None, unit=None, deputy=None) -> str | None:
    """The first scope parameter of a statistic that names nothing ``user`` may see (``station``,
    ``unit`` or ``deputy``), or None. Stations and deputies as their selectors scope them; handling
    units are reference data every signed-in user reads. One query per parameter given."""
    from deputies.selectors import deputies_visible_to
    from organisation.models import HandlingUnit
    from organisation.selectors import stations_visible_to

    if station is not None and not stations_visible_to(user).filter(id=station).exists():
        return "station"
    if unit is not None and not (user.is_active and HandlingUnit.objects.filter(id=unit).exists()):
        return "unit"
    if deputy is not None and not deputies_visible_to(user).filter(id=deputy).exists():
        return "deputy"
    return None


def station_statistics(
    *,
    stations,
    date_from=None,
    date_to=None,
    period: Period | None = None,
    basis: str = Basis.COHORT,
    deputy=None,
    unit=None,
    use_summary: bool = True,
) -> dict:
    """The five figures for these stations over a period (inclusive). Two queries (up to four from the summaries).

    Which date places each figure in the period, on each basis, is ``liaison.periods``. The period is
    ``period``, or ``date_from``–``date_to`` (either end open). Read from the precomputed summaries
    (both bases) when they are fresh, nobody narrower than the stations is asked for and the period is
    whole months (``core.precomputed``; ``use_summary=False`` always counts the rows, as the annual
    reports do).

    ``stations`` is a queryset of stations (already scoped to the reader). ``deputy`` narrows to the
    visits the deputy received and the opinions addressed to them or raised at those visits; ``unit``
    to the opinions referred to the unit and the visits they were raised at.
    """
    from liaison.models import Opinion, OpinionOutcome, Visit

    period = period or Period(date_from, date_to)
    summary = (
        precomputed.lookup(
            "station_statistics", stations=stations, date_from=period.date_from, date_to=period.date_to, basis=basis
        )
        if use_summary and deputy is None and unit is None
        else None
    )
    if summary is not None:
        return summary
    station_ids = stations.values("id")
    visits = Visit.objects.filter(station__in=station_ids)
    opinions = Opinion.objects.filter(station__in=station_ids)
    if deputy is not None:
        visits = visits.filter(id__in=Visit.deputies.through.objects.filter(deputy=deputy).values("visit_id"))
        opinions = opinions.filter(Q(deputy=deputy) | Q(visit__in=visits.values("id")))
    if unit is not None:
        opinions = opinions.filter(referral_unit=unit)
        visits = visits.filter(id__in=opinions.filter(visit__isnull=False).values("visit_id"))
    visits = visits.filter(figure_q(basis, "visits_person_times", period))
    person_times = visits.aggregate(total=Sum("headcount"))["total"] or 0
    counted = {
        "opinions": Q(),
        "answered_on_site": Q(outcome=OpinionOutcome.ANSWERED_ON_SITE),
        "escalated": Q(outcome=OpinionOutcome.ESCALATED),
        "resolved": Q(resolved_at__isnull=False),
    }
    in_period = {figure: figure_q(basis, figure, period) for figure in counted}
    anywhere = Q()
    for q in dict.fromkeys(in_period.values()):  # the distinct date filters, OR-ed: the rows worth reading
        anywhere |= q
    figures = opinions.filter(anywhere).aggregate(
        **{figure: Count("id", filter=condition & in_period[figure]) for figure, condition in counted.items()}
    )
    return {"visits_person_times": person_times, **figures}


def station_monthly_series(*, stations, date_from, date_to) -> list[dict]:
    """Person-times and opinions per month in the period, for the dashboard chart. Two queries."""
    from django.db.models.functions import TruncMonth

    from liaison.models import Opinion, Visit

    summary = precomputed.lookup("station_monthly_series", stations=stations, date_from=date_from, date_to=date_to)
    if summary is not None:
        return summary
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
    return monthly_series(by_month, date_from, date_to)


def monthly_series(by_month: dict, date_from, date_to) -> list[dict]:
    """Every month from ``date_from`` to ``date_to`` with its person-times and opinions (0 when absent);
    ``by_month`` maps (year, month) to ``{"person_times": …, "opinions": …}``."""
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


# --- Related opinions (provided from above) ----------------------------------------------------------

# The topics app (a layer above) groups opinions raising the same problem; it registers how to find an
# opinion's related ones when it loads (``TopicsConfig.ready``), so the opinion page shows them without
# this app importing it.
_related_provider = None
RELATED_LIMIT = 10


def register_related_opinions(provider) -> None:
    """Install ``provider(user, opinion, limit) -> (list of opinions, extra)`` for the opinion page."""
    global _related_provider
    _related_provider = provider


def related_opinions(user, opinion, limit: int = RELATED_LIMIT):
    """Opinions ``user`` may see that raise the same problem as ``opinion``, and what the provider adds
    (its topic); ``([], None)`` when no provider is installed."""
    if _related_provider is None:
        return [], None
    return _related_provider(user, opinion, limit)
