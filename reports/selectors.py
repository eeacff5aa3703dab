"""Read-only figures for the home pages, always computed from the user's scoped querysets."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Prefetch, Q, QuerySet, Value

from core import clock
from deputies.models import Deputy, DeputyGroup, DeputyKind, Level, Term
from deputies.selectors import deputies_visible_to
from duties.models import GridAssignment, GridRole
from organisation.filters import tree_order
from organisation.models import GridCentre, Station, StationKind
from organisation.selectors import grids_visible_to, stations_visible_to
from suggestions.models import State, Suggestion
from suggestions.selectors import (
    due_soon_parts,
    overdue_parts,
    overdue_q,
    suggestion_list,
    suggestion_stats,
    suggestions_visible_to,
)


@dataclass
class KeyFigures:
    stations_by_kind: dict[str, int]
    stations: int
    grid_centres: int
    grids: int
    grids_without_leader: int
    deputies: int
    congress_deputies: int
    deliberation_representatives: int
    deputies_by_level: list[tuple[str, str, int]]
    groups: int
    assigned_deputies: int
    station_kinds: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def grids_with_leader(self) -> int:
        return self.grids - self.grids_without_leader

    @property
    def leader_coverage_percent(self) -> int | None:
        """Share of grids that have a grid leader, rounded down to a whole percent."""
        if not self.grids:
            return None
        return self.grids_with_leader * 100 // self.grids


def _open_leader_grid_ids():
    return GridAssignment.objects.filter(role=GridRole.LEADER, end_date__isnull=True).values("grid_id")


def key_figures_for(user) -> KeyFigures:
    """The organisation's size and gaps as far as ``user`` can see it (eight queries, whatever the size).

    Deputies are counted once each; by level a person holding several current
    terms (县、镇两级) counts at every level they hold, so the levels add up to more
    than the number of congress deputies.
    """
    stations = stations_visible_to(user)
    grids = grids_visible_to(user)
    deputies = deputies_visible_to(user).prefetch_related(None).filter(is_active=True)

    by_kind = dict(stations.order_by().values_list("kind").annotate(n=Count("id")))
    station_kinds = [(kind.value, kind.label, by_kind.get(kind.value, 0)) for kind in StationKind]

    deputy_counts = deputies.order_by().aggregate(
        total=Count("id"),
        congress=Count("id", filter=Q(kind=DeputyKind.CONGRESS)),
        deliberation=Count("id", filter=Q(kind=DeputyKind.DELIBERATION)),
    )
    year = clock.today().year
    current_terms = Term.objects.filter(
        Q(end_year__isnull=True) | Q(end_year__gte=year),
        start_year__lte=year,
        deputy__in=deputies.filter(kind=DeputyKind.CONGRESS).values("id"),
    )
    by_level = dict(current_terms.order_by().values_list("level").annotate(n=Count("deputy", distinct=True)))

    return KeyFigures(
        stations_by_kind=by_kind,
        stations=sum(by_kind.values()),
        station_kinds=station_kinds,
        grid_centres=GridCentre.objects.filter(community__station__in=stations.values("id")).count(),
        grids=grids.count(),
        grids_without_leader=grids.exclude(id__in=_open_leader_grid_ids()).count(),
        deputies=deputy_counts["total"],
        congress_deputies=deputy_counts["congress"],
        deliberation_representatives=deputy_counts["deliberation"],
        deputies_by_level=[(level.value, level.label, by_level.get(level.value, 0)) for level in Level],
        groups=DeputyGroup.objects.count()
        if user.sees_everything
        else DeputyGroup.objects.filter(members__in=deputies.values("id")).distinct().count(),
        assigned_deputies=GridAssignment.objects.filter(end_date__isnull=True, grid__in=grids.values("id"))
        .values("deputy_id")
        .distinct()
        .count(),
    )


def grids_without_leader_for(user, *, limit: int = 10):
    """The first ``limit`` grids ``user`` can see that have no open grid-leader assignment."""
    return grids_visible_to(user).exclude(id__in=_open_leader_grid_ids()).order_by("code")[:limit]


def home_stations_of_staff(user) -> QuerySet[Station]:
    """The stations a staff member is attached to, with resident deputies and sub-stations loaded."""
    return (
        stations_visible_to(user)
        .filter(staff=user)
        .prefetch_related(
            Prefetch("resident_deputies", queryset=Deputy.objects.filter(is_active=True).order_by("name")),
            Prefetch("children", queryset=Station.objects.filter(is_active=True).order_by(tree_order(), "name")),
        )
        .order_by(tree_order(), "name")
    )


def home_stations_of_deputy(user) -> QuerySet[Station]:
    """Stations where a deputy is resident or holds a grid."""
    return stations_visible_to(user).order_by(tree_order(), "name")


def groups_of_deputy(deputy_id: int) -> QuerySet[DeputyGroup]:
    # Filter through a subquery so that the member count joins all members, not just this deputy.
    return (
        DeputyGroup.objects.filter(id__in=DeputyGroup.objects.filter(members=deputy_id).values("id"))
        .select_related("leader")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )


# --- Suggestion workload (office and leader home pages) ----------------------------------------

# Suggestions still moving: key supervision of a closed or withdrawn item needs nobody's attention.
_OPEN_STATES = (State.SUBMITTED, State.ASSIGNED, State.IN_PROGRESS, State.REHANDLING, State.REPLIED)


@dataclass
class Workload:
    """What the suggestion office and leaders have waiting, each count matching a list filter."""

    to_assign: int  # 待交办: submitted, waiting to be accepted and assigned (?state=submitted)
    overdue: int  # 逾期: someone owes a step past its deadline (?overdue=true)
    due_soon: int  # 7 日内到期: the step owed falls due within the "due soon" window (?due_soon=true)
    to_evaluate: int  # 待评价: replied, waiting for the deputy's evaluation (?state=replied)
    key_supervision: int  # 重点督办: flagged by a leader (?key_supervision=true)


def suggestion_workload(user, today: date | None = None) -> Workload:
    """The five workload counts over the suggestions ``user`` may see, in one statement.

    Each count is a scalar subquery over its own condition, and an OR of conditions on disjoint states
    (overdue: a reply owed past its deadline, or an assignment owed past its deadline) is counted as
    the sum of its parts, so that each part is an index-only range of ``sugg_workload`` (state with
    ``reply_due`` or ``assign_due``, of submitted suggestions): at city scale the 55,000 suggestions
    that count are never fetched from the table (one aggregate over the OR of the conditions read them
    all: 107 ms; the parts: about 15 ms).
    """
    today = today or clock.today()
    visible = suggestions_visible_to(user).select_related(None).order_by()
    # Each count's parts are disjoint (by state), so the count is the sum of theirs.
    conditions = {
        "to_assign": [Q(state=State.SUBMITTED)],
        "overdue": overdue_parts(today),
        "due_soon": due_soon_parts(today),
        "to_evaluate": [Q(state=State.REPLIED)],
        "key_supervision": [Q(key_supervision=True)],
    }
    parts = [(name, part) for name, condition in conditions.items() for part in condition]
    counts = _count_each([visible.filter(part) for _name, part in parts])
    totals = dict.fromkeys(conditions, 0)
    for (name, _part), count in zip(parts, counts, strict=True):
        totals[name] += count
    return Workload(**totals)


def _count_each(querysets: list[QuerySet]) -> list[int]:
    """``COUNT(*)`` of each queryset in one statement of scalar subqueries. Each selects a constant, so
    PostgreSQL can count an index-only range when an index holds the columns of its conditions."""
    parts, params = [], []
    for queryset in querysets:
        try:
            sql, query_params = queryset.annotate(one=Value(1)).values("one").query.sql_with_params()
        except EmptyResultSet:  # a scope that admits nothing (``none()``)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")
        params.extend(query_params)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())


def suggestion_year_figures(user, year: int) -> dict:
    """The year's suggestion metrics for a leader's home page (that year's cohort: suggestions.periods), one query."""
    return suggestion_stats(user, year=year)


def key_supervision_open(user, *, limit: int = 10) -> list[Suggestion]:
    """Open suggestions under key supervision (重点督办): overdue ones first, then by deadline (one query).

    Few suggestions are flagged, and the ``key_supervision, state`` index finds them.
    """
    return list(
        suggestion_list(user)
        .filter(key_supervision=True, state__in=_OPEN_STATES)
        .order_by("-overdue", "deadline", "id")[:limit]
    )


def longest_overdue(user, *, limit: int = 5, today: date | None = None) -> list[Suggestion]:
    """The suggestions overdue the longest (one query)."""
    today = today or clock.today()
    return list(suggestion_list(user, today).filter(overdue_q(today)).order_by("deadline", "id")[:limit])


def first_data_year() -> int | None:
    """The earliest year anything was recorded in (a visit, a suggestion, an activity, a voter contact), or
    None when nothing was: the first year a report can cover. Unscoped: it only bounds a year list."""
    from django.db.models import Min

    from duties.models import Activity, VoterContact
    from liaison.models import Visit

    firsts = [
        Visit.objects.aggregate(first=Min("date"))["first"],
        Activity.objects.aggregate(first=Min("date"))["first"],
        VoterContact.objects.aggregate(first=Min("date"))["first"],
        Suggestion.objects.aggregate(first=Min("created_at"))["first"],
    ]
    years = [value.year for value in firsts if value is not None]
    return min(years) if years else None
