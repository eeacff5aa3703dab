"""Reading suggestions: every list, page, API call and statistic starts from ``suggestions_visible_to``.

Overdue is derived here from the stored deadlines and today's date — never stored —
so it cannot go stale: ``overdue_q(today)`` is the one definition, used by the list
annotation, the ``overdue`` filter, the overdue page and the reminder sweep.
"""

from datetime import date, timedelta

from django.db.models import BooleanField, Case, Count, DateField, F, Prefetch, Q, QuerySet, Value, When

from core import clock, precomputed, rounding
from core.periods import Basis, Period
from core.roles import Role
from core.scoping import scoped
from deputies.models import Deputy
from deputies.selectors import deputies_visible_to
from organisation.models import HandlingUnit, Station, subtree_q
from suggestions import deadlines, periods, risk
from suggestions.models import (
    AWAITING_ASSIGNMENT,
    AWAITING_REPLY,
    FOLLOW_UP_CLASSES,
    SATISFIED_RATINGS,
    Assignment,
    AssignmentRole,
    CalendarYear,
    CoSignature,
    CoSignStatus,
    Extension,
    Reply,
    ReplyClass,
    RequestStatus,
    ReturnRequest,
    State,
    Suggestion,
    SuggestionEvent,
)

# --- Scope -----------------------------------------------------------------------------------


def suggestions_visible_to(user) -> QuerySet[Suggestion]:
    """Suggestions ``user`` may see, with lead deputy and lead unit loaded.

    - a deputy: those they lead or were invited to co-sign (drafts included);
    - a unit officer: those assigned to their unit, as lead or co-unit, while that assignment is
      active (so only from 交办 on, and no longer once the office takes the item back);
    - station staff: submitted suggestions whose lead deputy is in their stations' scope
      (resident at, or assigned to a grid of, a station in their subtree);
    - office, leaders, admins: every submitted suggestion.
    Nobody but the lead deputy and co-signers sees a suggestion that was never submitted.
    """
    # Every condition is on the suggestion's own columns or an id subquery: no duplicate rows. Staff's
    # deputies are read first and matched as literal ids: as an IN subquery PostgreSQL planned a semi-join
    # that walked the whole list in index order, 76 ms for a page at city scale.
    return scoped(
        user,
        Suggestion.objects.select_related("lead_deputy", "lead_unit"),
        everything=lambda user: _SUBMITTED,
        staff=lambda user: Q(
            _SUBMITTED, lead_deputy_id__in=list(deputies_visible_to(user).values_list("id", flat=True))
        ),
        deputy=lambda user: (
            Q(lead_deputy_id=user.deputy_id)
            | Q(id__in=CoSignature.objects.filter(deputy_id=user.deputy_id).values("suggestion_id"))
        ),
        unit_officer=lambda user: Q(
            id__in=Assignment.objects.filter(unit_id=user.unit_id, active=True).values("suggestion_id")
        ),
        distinct=False,
    )


_SUBMITTED = Q(submitted_at__isnull=False)


def replies_visible_to(user) -> QuerySet[Reply]:
    """Replies to the suggestions ``user`` may see (the detail page shows them to everyone who sees the
    suggestion), with their suggestion and unit loaded."""
    return Reply.objects.select_related("suggestion", "unit").filter(
        suggestion_id__in=suggestions_visible_to(user).values("id")
    )


def deputies_of_station_q(station_id: int, prefix: str = "") -> Q:
    """Deputies resident at ``station_id`` or anything below it, or holding an open grid assignment there."""
    ids = Deputy.objects.filter(
        subtree_q(station_id, "resident_stations__")
        | Q(
            grid_assignments__end_date__isnull=True,
            grid_assignments__grid__centre__community__station__in=Station.objects.within(station_id).values("id"),
        )
    ).values("id")
    return Q(**{f"{prefix}id__in": ids})


# --- Deadlines -------------------------------------------------------------------------------


def overdue_parts(today: date) -> tuple[Q, Q]:
    """``overdue_q`` as its two disjoint parts (by state): a reply owed, an assignment owed."""
    return Q(state__in=AWAITING_REPLY, reply_due__lt=today), Q(state__in=AWAITING_ASSIGNMENT, assign_due__lt=today)


def overdue_q(today: date) -> Q:
    """Someone owes a step whose deadline was before ``today``."""
    reply, assignment = overdue_parts(today)
    return reply | assignment


def due_soon_parts(today: date, days: int | None = None) -> tuple[Q, Q]:
    """``due_soon_q`` as its two disjoint parts (by state): a reply owed, an assignment owed."""
    until = today + timedelta(days=deadlines.due_soon_days() if days is None else days)
    return (
        Q(state__in=AWAITING_REPLY, reply_due__range=(today, until)),
        Q(state__in=AWAITING_ASSIGNMENT, assign_due__range=(today, until)),
    )


def due_soon_q(today: date, days: int | None = None) -> Q:
    """The step owed falls due between ``today`` and ``today + days`` (inclusive)."""
    reply, assignment = due_soon_parts(today, days)
    return reply | assignment


def with_deadline(queryset: QuerySet[Suggestion], today: date | None = None) -> QuerySet[Suggestion]:
    """Annotate ``deadline`` (the date the next step is due), ``deadline_provisional`` (counted on the
    statutory holidays, see ``suggestions.statutory``) and ``overdue`` (against ``today``)."""
    today = today or clock.today()
    return queryset.annotate(
        deadline=Case(
            When(state__in=AWAITING_REPLY, then=F("reply_due")),
            When(state__in=AWAITING_ASSIGNMENT, then=F("assign_due")),
            default=Value(None),
            output_field=DateField(),
        ),
        # Only working-day deadlines can be provisional; reply deadlines are counted in calendar months.
        deadline_provisional=Case(
            When(state__in=AWAITING_ASSIGNMENT, then=F("assign_due_provisional")),
            default=Value(False),
            output_field=BooleanField(),
        ),
        overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def suggestions_overdue(today: date | None = None) -> QuerySet[Suggestion]:
    """Every overdue suggestion (unscoped: for the reminder sweep), most overdue first."""
    today = today or clock.today()
    return (
        with_deadline(Suggestion.objects.select_related("lead_deputy", "lead_unit", "key_supervisor"), today)
        .filter(overdue_q(today))
        .order_by("deadline", "id")
    )


def suggestions_due_soon(today: date | None = None, days: int | None = None) -> QuerySet[Suggestion]:
    """Every suggestion whose owed step falls due within ``days`` (default ``DUE_SOON_DAYS``), unscoped."""
    today = today or clock.today()
    return (
        with_deadline(Suggestion.objects.select_related("lead_deputy", "lead_unit"), today)
        .filter(due_soon_q(today, days))
        .order_by("deadline", "id")
    )


def co_unit_opinions_overdue(today: date | None = None) -> QuerySet[Assignment]:
    """Active co-unit assignments whose first-round opinion is late, while the item is still being handled."""
    today = today or clock.today()
    return (
        Assignment.objects.filter(
            active=True,
            role=AssignmentRole.CO,
            opinion_due__lt=today,
            suggestion__state__in=AWAITING_REPLY,
        )
        .exclude(opinions__round=1)
        .select_related("suggestion", "unit")
    )


def suggestions_at_risk(user, *, unit=None, category: str | None = None, today: date | None = None):
    """The risk list (逾期风险): the open suggestions ``user`` may see (a reply owed, the deadline not yet
    passed), each with its risk of missing the deadline and the reasons, highest risk first
    (``risk.assess``). ``unit``: the lead unit; ``category``: the suggestion's category. A list of
    ``risk.Assessment``; queries: those of ``risk.assess``, whatever the number of suggestions.
    """
    queryset = (
        suggestions_visible_to(user)
        .select_related(None)
        .select_related("lead_unit")
        .only("id", "title", "state", "category", "assigned_on", "reply_due", "key_supervision", "lead_unit__name")
    )
    if unit is not None:
        queryset = queryset.filter(lead_unit=unit)
    if category:
        queryset = queryset.filter(category=category)
    return risk.assess(queryset, today=today or clock.today())


# --- Lists and detail ------------------------------------------------------------------------


def suggestion_list(user, today: date | None = None) -> QuerySet[Suggestion]:
    """The list queryset for pages and the API: scoped, with deadline/overdue annotated, newest first."""
    return with_deadline(suggestions_visible_to(user), today).order_by("-created_at", "-id")


def suggestion_detail_queryset(user) -> QuerySet[Suggestion]:
    """Everything a detail page or the detail endpoint shows, in a fixed number of queries."""
    # ``imported_from``: the ledger row a suggestion was imported from (the imports app's provenance).
    detail = with_deadline(suggestions_visible_to(user)).select_related(
        "imported_from__batch", "imported_from__updated_by_batch"
    )
    return detail.prefetch_related(
        Prefetch("cosignatures", queryset=CoSignature.objects.select_related("deputy").order_by("id")),
        "attachments",
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("-active", "role", "id")),
        "co_unit_opinions__assignment__unit",
        "contacts__unit",
        "replies__unit",
        "evaluations",
        "extensions",
        "return_requests__assignment__unit",
        "supervision_notes__author",
        "follow_ups",
        Prefetch("events", queryset=SuggestionEvent.objects.select_related("actor").order_by("at", "id")),
    )


def cosign_requests_for(user) -> QuerySet[CoSignature]:
    """Co-sign invitations a deputy has not answered yet, for suggestions still being drafted."""
    if not user.is_authenticated or user.effective_role != Role.DEPUTY or not user.deputy_id:
        return CoSignature.objects.none()
    return (
        CoSignature.objects.filter(
            deputy_id=user.deputy_id,
            status=CoSignStatus.PENDING,
            suggestion__state__in=[State.DRAFT, State.RETURNED],
        )
        .select_related("suggestion__lead_deputy")
        .order_by("-invited_at", "-id")
    )


def pending_extensions(user) -> QuerySet[Extension]:
    """Extension requests waiting for the office (scoped like the suggestions they belong to)."""
    return (
        Extension.objects.filter(status=RequestStatus.PENDING, suggestion__in=suggestions_visible_to(user).values("id"))
        .select_related("suggestion__lead_deputy", "suggestion__lead_unit", "requested_by")
        .order_by("requested_at", "id")
    )


def pending_return_requests(user) -> QuerySet[ReturnRequest]:
    """Units' requests to return an item, waiting for the office."""
    return (
        ReturnRequest.objects.filter(
            status=RequestStatus.PENDING, suggestion__in=suggestions_visible_to(user).values("id")
        )
        .select_related("suggestion__lead_deputy", "assignment__unit", "requested_by")
        .order_by("requested_at", "id")
    )


def follow_ups_due(user) -> QuerySet[Suggestion]:
    """Closed suggestions with a B/C reply whose matter is not yet solved (回头看)."""
    return suggestion_list(user).filter(
        state=State.CLOSED, reply_class__in=FOLLOW_UP_CLASSES, follow_up_solved_on__isnull=True
    )


def units_visible_to(user) -> QuerySet[HandlingUnit]:
    """Handling units are reference data every signed-in user may read."""
    if user is None or not user.is_authenticated or not user.is_active:
        return HandlingUnit.objects.none()
    return HandlingUnit.objects.all()


# --- Statistics ------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    return rounding.rate(part, whole)


def metric_aggregates(basis: str = Basis.COHORT, period: Period | None = None) -> dict:
    """Aggregates counting what the metrics of ``suggestion_stats`` divide; pass to ``aggregate`` or ``annotate``.

    On the cohort basis the population is already the period's cohort and every row counts; on the
    activity basis each figure counts only its rows whose own event falls in ``period``
    (``suggestions.periods``).
    """
    replied = Q(first_replied_on__isnull=False)
    conditions = {
        "assigned": Q(),
        "replied": replied,
        "on_time": replied & Q(first_reply_on_time=True),
        "closed": Q(state=State.CLOSED),
        "a_class": replied & Q(reply_class=ReplyClass.A),
        "contacted": replied & Q(contacted=True),
        "final_evaluations": ~Q(final_rating=""),
        "final_satisfied": Q(final_rating__in=SATISFIED_RATINGS),
        "first_evaluations": ~Q(first_rating=""),
        "first_satisfied": Q(first_rating__in=SATISFIED_RATINGS),
    }
    if basis == Basis.ACTIVITY:
        period = period or Period()
        conditions = {name: q & periods.figure_q(name, period) for name, q in conditions.items()}
    return {name: Count("id", filter=q) if q else Count("id") for name, q in conditions.items()}


def with_rates(n: dict) -> dict:
    """The counts from ``metric_aggregates`` plus every rate ``suggestion_stats`` defines (docs/domain.md)."""
    return {
        **n,
        "reply_rate": _rate(n["replied"], n["assigned"]),
        "on_time_rate": _rate(n["on_time"], n["replied"]),
        "closure_rate": _rate(n["closed"], n["assigned"]),
        "satisfaction_rate": _rate(n["final_satisfied"], n["final_evaluations"]),
        "first_satisfaction_rate": _rate(n["first_satisfied"], n["first_evaluations"]),
        "a_class_rate": _rate(n["a_class"], n["replied"]),
        "contact_rate": _rate(n["contacted"], n["replied"]),
    }


# The keys of ``GET /api/v1/stats/suggestions/`` (the API contract).
STATS_KEYS = (
    "assigned",
    "replied",
    "closed",
    "reply_rate",
    "on_time_rate",
    "closure_rate",
    "satisfaction_rate",
    "first_satisfaction_rate",
    "a_class_rate",
    "contact_rate",
)


def _metrics(n: dict) -> dict:
    full = with_rates(n)
    return {key: full[key] for key in STATS_KEYS}


def _stats_population(
    user, *, station=None, unit=None, deputy=None, period=None, basis=Basis.COHORT, category=None, year=None
):
    """The suggestions the metrics read: counted (``suggestions.periods.counted_q``), visible to ``user``, in
    the scope asked for, and of the period's cohort, or with an event in the period (activity)."""
    period = period or (Period.of_year(year) if year is not None else Period())
    queryset = suggestions_visible_to(user).filter(periods.counted_q())
    if basis == Basis.ACTIVITY:
        queryset = queryset.filter(periods.activity_q(period))
    elif not period.unbounded:
        queryset = queryset.filter(periods.cohort_q(period))
    if station is not None:
        queryset = queryset.filter(deputies_of_station_q(getattr(station, "pk", station), "lead_deputy__"))
    if unit is not None:
        queryset = queryset.filter(lead_unit=unit)
    if deputy is not None:
        queryset = queryset.filter(lead_deputy=deputy)
    if category:
        queryset = queryset.filter(category=category)
    return queryset


def suggestion_stats(
    user,
    *,
    station=None,
    unit=None,
    deputy=None,
    period: Period | None = None,
    year: int | None = None,
    basis: str = Basis.COHORT,
    category: str | None = None,
) -> dict:
    """The suggestion metrics (docs/domain.md) over the suggestions ``user`` may see, in one query.

    Population: suggestions that were assigned (交办) and not withdrawn; the period (``period``, or the
    calendar ``year``) places them by ``basis`` as ``suggestions.periods`` defines (cohort: first
    submitted in the period); ``unit`` is the lead unit, ``deputy`` the lead deputy, ``station`` the lead
    deputy's stations (resident at, or holding an open grid assignment at, the station or a station below it).
    - assigned: the population's size (交办数);
    - replied: those with a first reply; reply_rate = replied ÷ assigned (办复率);
    - on_time_rate = first replies given on or before the deadline in force that day (three months
      after 交办, or the approved extension) ÷ replied (按期答复率);
    - closed: final evaluation recorded; closure_rate = closed ÷ assigned (办结率);
    - satisfaction_rate = final evaluations 满意 or 基本满意 ÷ final evaluations (满意率);
    - first_satisfaction_rate = the same for first evaluations (初次满意率);
    - a_class_rate = replied whose latest reply is class A ÷ replied (A类占比);
    - contact_rate = replied where the unit met or called the deputy before a reply ÷ replied (见面率).
    Rates are fractions 0–1 rounded to 4 places, or null when the denominator is 0.
    """
    period = period or (Period.of_year(year) if year is not None else Period())
    summary = precomputed.lookup(
        "suggestion_stats",
        user=user,
        station=station,
        unit=unit,
        deputy=deputy,
        period=period,
        basis=basis,
        category=category,
    )
    if summary is not None:
        return _metrics(summary)
    population = _stats_population(
        user, station=station, unit=unit, deputy=deputy, period=period, basis=basis, category=category
    )
    return _metrics(population.aggregate(**metric_aggregates(basis, period)))


def suggestion_stats_by_unit(
    user,
    *,
    period: Period | None = None,
    year: int | None = None,
    basis: str = Basis.COHORT,
    category: str | None = None,
) -> list[dict]:
    """The same metrics per lead unit, in one grouped query, largest first."""
    period = period or (Period.of_year(year) if year is not None else Period())
    summary = precomputed.lookup("suggestion_stats_by_unit", user=user, period=period, basis=basis, category=category)
    if summary is not None:
        summary.sort(key=lambda row: (-row["assigned"], row["lead_unit__name"] is None, row["lead_unit__name"] or ""))
        return [{"unit_id": row["lead_unit_id"], "unit": row["lead_unit__name"], **_metrics(row)} for row in summary]
    rows = (
        _stats_population(user, period=period, basis=basis, category=category)
        .order_by()
        .values("lead_unit_id", "lead_unit__name")
        .annotate(**metric_aggregates(basis, period))
        .order_by("-assigned", "lead_unit__name")
    )
    return [{"unit_id": row["lead_unit_id"], "unit": row["lead_unit__name"], **_metrics(row)} for row in rows]


# --- The working-day calendar ---------------------------------------------------------------------


def calendar_years() -> QuerySet[CalendarYear]:
    """The years the office entered, newest first, with who entered them and how many days of each kind.

    Not scoped: the calendar is the same for everyone; the pages showing it are the office's.
    """
    return (
        CalendarYear.objects.select_related("entered_by")
        .annotate(
            holiday_count=Count("days", filter=Q(days__is_working_day=False)),
            working_day_count=Count("days", filter=Q(days__is_working_day=True)),
        )
        .order_by("-year")
    )
