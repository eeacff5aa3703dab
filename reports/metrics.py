"""The figures of the performance file (履职档案) and the ranking of deputies by points.

Counting is done in the database with set-based queries: each group of figures is one
grouped pass over the year (``GROUP BY deputy``) restricted to the deputies ranked, so a
ranking costs the same dozen queries for one deputy, a station's forty or a city's five
thousand, and each statement reads the year's rows once (not once per deputy). A deputy's
own file uses exactly the same definitions as the ranking.

Definitions (one year, 1 January to 31 December, never beyond today):
- reception days served: uncancelled reception days up to today on which the deputy
  was rostered, in person or through a deputy group they belong to;
- visits received / person-times: visits listing the deputy among the receiving deputies;
- opinions collected: opinions addressed to or recorded by the deputy, or raised in a
  visit the deputy received (each opinion once);
- grid duties: patrols, grid meetings and research visits recorded; 述职 (report to
  constituents) is its own item; compliance is periods done ÷ periods due while assigned;
- activities attended: attendance recorded as present;
- voter contacts (联系选民): contacts with voters the deputy made outside station reception,
  recorded by the deputy or for them (calls, home visits, talks), against ten a year.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections, router
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from deputies.models import Deputy
from duties.models import ActivityAttendance, AttendanceStatus, GridDuty, GridDutyKind, VoterContact
from liaison.models import Opinion, ReceptionDay, RosterEntry, Visit
from livelihood.models import SupervisionVisit
from reports.models import DEFAULT_WEIGHTS, DeputyYear, PointItem, PointWeight
from suggestions.models import CoSignature, CoSignStatus, Rating, ReplyClass, State, Suggestion


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first day of ``year`` and its last day, or today if the year is not over."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return start, min(end, timezone.localdate())


def point_weights() -> dict[str, Decimal]:
    """Points per unit of each item: the office's saved weights over the defaults. One query."""
    weights = {item: Decimal(str(value)).quantize(Decimal("0.01")) for item, value in DEFAULT_WEIGHTS.items()}
    weights.update(dict(PointWeight.objects.values_list("item", "weight")))
    return weights


# Suggestions that count in a deputy's year: submitted that year and accepted as suggestions
# (not returned by the office, not withdrawn, not a draft).
NOT_COUNTED_STATES = (State.DRAFT, State.RETURNED, State.WITHDRAWN)


def counted_suggestions(year: int) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(submitted_at__year=year).exclude(state__in=NOT_COUNTED_STATES)


# Every figure of the file, in the order the grouped passes below produce them.
FIGURE_KEYS = (
    PointItem.RECEPTION_DAY,
    PointItem.VISIT,
    "person_times",
    PointItem.OPINION,
    PointItem.GRID_DUTY,
    PointItem.REPORT_TO_CONSTITUENTS,
    PointItem.ACTIVITY,
    PointItem.VOTER_CONTACT,
    PointItem.SUGGESTION_LED,
    PointItem.SUGGESTION_COSIGNED,
    PointItem.SUGGESTION_RESOLVED,
    "suggestions_closed",
    "suggestions_satisfied",
    "suggestions_basically_satisfied",
    "suggestions_unsatisfied",
    PointItem.PROJECT_SUPERVISED,
)


def _grouped(queryset: QuerySet, key: str, **aggregates) -> dict[int, dict]:
    """One ``GROUP BY key`` pass: {key value: {aggregate name: value}}."""
    rows = queryset.order_by().values(key).annotate(**aggregates)
    return {row[key]: row for row in rows}


def _pairs_per_deputy(first: QuerySet, second: QuerySet) -> dict[int, int]:
    """The number of distinct (deputy, thing) pairs per deputy over two ``values_list(deputy, thing)`` querysets.

    ``UNION`` removes the pairs both produce, so a thing reached both ways counts once; the count per
    deputy is one ``GROUP BY`` over the union (one statement, on the database the router reads from).
    """
    union = first.order_by().union(second.order_by())
    sql, params = union.query.sql_with_params()
    deputy_column, thing_column = first.query.values_select
    alias = router.db_for_read(first.model)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT u.{deputy_column}, COUNT(*) FROM ({sql}) u GROUP BY u.{deputy_column}",
            params,
        )
        return dict(cursor.fetchall())


# Up to this many deputies, the grouped passes name them (``deputy_id IN (1, 2, …)``): PostgreSQL then
# reads their rows through the deputy indexes. More, and a subquery lets it read the year once instead.
LISTED_DEPUTIES = 1000


def deputy_figures(deputies: QuerySet[Deputy] | list[int], year: int) -> dict[int, dict[str, int]]:
    """Every figure of the file for each deputy of ``deputies``: {deputy id: {figure: count}}.

    Ten grouped queries whatever the number of deputies, each restricted to ``deputies`` (a queryset,
    used as a subquery, or a list of ids), so a station's ranking reads its deputies' rows through
    the deputy indexes and a city's ranking reads the year once.
    """
    start, end = year_bounds(year)
    ids = list(deputies) if isinstance(deputies, list) else deputies.order_by().values("id")
    figures: dict[int, dict[str, int]] = {}

    def put(rows: dict, **names: str) -> None:
        for deputy_id, row in rows.items():
            counts = figures.setdefault(deputy_id, {})
            for figure, column in names.items():
                counts[figure] = (counts.get(figure, 0) or 0) + (row[column] or 0)

    # Reception days: rostered in person, or through a group the deputy belongs to (each day once).
    days = ReceptionDay.objects.filter(date__range=(start, end), is_cancelled=False).values("id")
    in_person = RosterEntry.objects.filter(day__in=days, deputy__in=ids).values_list("deputy_id", "day_id")
    through_group = RosterEntry.objects.filter(day__in=days, group__members__in=ids).values_list(
        "group__members", "day_id"
    )
    for deputy_id, n in _pairs_per_deputy(in_person, through_group).items():
        figures.setdefault(deputy_id, {})[PointItem.RECEPTION_DAY] = n

    # Visits received and their person-times (one row per visit and deputy).
    VisitDeputy = Visit.deputies.through
    put(
        _grouped(
            VisitDeputy.objects.filter(deputy__in=ids, visit__date__range=(start, end)),
            "deputy_id",
            visits=Count("visit_id"),
            person_times=Sum("visit__headcount"),
        ),
        **{PointItem.VISIT: "visits", "person_times": "person_times"},
    )

    # Opinions: addressed to the deputy (a), raised in a visit they received (b), both (c): a + b - c.
    opinions = Opinion.objects.filter(received_on__range=(start, end), deputy__in=ids)
    put(_grouped(opinions, "deputy_id", n=Count("id")), **{PointItem.OPINION: "n"})
    via_visit = _grouped(
        VisitDeputy.objects.filter(deputy__in=ids, visit__opinions__received_on__range=(start, end)),
        "deputy_id",
        n=Count("visit__opinions"),
        both=Count("visit__opinions", filter=Q(visit__opinions__deputy_id=F("deputy_id"))),
    )
    for deputy_id, row in via_visit.items():
        counts = figures.setdefault(deputy_id, {})
        counts[PointItem.OPINION] = counts.get(PointItem.OPINION, 0) + row["n"] - row["both"]

    put(
        _grouped(
            GridDuty.objects.filter(deputy__in=ids, date__range=(start, end)),
            "deputy_id",
            duties=Count("id", filter=~Q(kind=GridDutyKind.REPORT)),
            reports=Count("id", filter=Q(kind=GridDutyKind.REPORT)),
        ),
        **{PointItem.GRID_DUTY: "duties", PointItem.REPORT_TO_CONSTITUENTS: "reports"},
    )
    put(
        _grouped(
            ActivityAttendance.objects.filter(
                deputy__in=ids, status=AttendanceStatus.PRESENT, activity__date__range=(start, end)
            ),
            "deputy_id",
            n=Count("id"),
        ),
        **{PointItem.ACTIVITY: "n"},
    )
    put(
        _grouped(VoterContact.objects.filter(deputy__in=ids, date__range=(start, end)), "deputy_id", n=Count("id")),
        **{PointItem.VOTER_CONTACT: "n"},
    )
    for deputy_id, row in suggestion_figures(ids, year).items():
        figures.setdefault(deputy_id, {}).update(row)
    return figures


def deputy_figures_of(deputies: QuerySet[Deputy], year: int) -> dict[int, dict[str, int]]:
    """The figures of ``deputy_figures`` as the last summary rebuild stored them (``reports.summaries``). One query."""
    rows = DeputyYear.objects.filter(year=year, deputy__in=deputies.order_by().values("id"))
    return dict(rows.values_list("deputy_id", "figures"))


def suggestion_figures(ids, year: int) -> dict[int, dict[str, int]]:
    """Figures from the suggestion and livelihood apps for the deputies ``ids`` (a subquery). Three queries."""
    start, end = year_bounds(year)
    closed = Q(state=State.CLOSED)
    led = _grouped(
        counted_suggestions(year).filter(lead_deputy__in=ids),
        "lead_deputy_id",
        **{
            PointItem.SUGGESTION_LED: Count("id"),
            PointItem.SUGGESTION_RESOLVED: Count(
                "id", filter=Q(reply_class=ReplyClass.A) | Q(follow_up_solved_on__isnull=False)
            ),
            "suggestions_closed": Count("id", filter=closed),
            "suggestions_satisfied": Count("id", filter=closed & Q(final_rating=Rating.SATISFIED)),
            "suggestions_basically_satisfied": Count("id", filter=closed & Q(final_rating=Rating.BASICALLY_SATISFIED)),
            "suggestions_unsatisfied": Count("id", filter=closed & Q(final_rating=Rating.UNSATISFIED)),
        },
    )
    figures = {deputy_id: {k: v for k, v in row.items() if k != "lead_deputy_id"} for deputy_id, row in led.items()}
    cosigned = _grouped(
        CoSignature.objects.filter(
            deputy__in=ids, status=CoSignStatus.CONFIRMED, suggestion__in=counted_suggestions(year).values("id")
        ),
        "deputy_id",
        n=Count("id"),
    )
    for deputy_id, row in cosigned.items():
        figures.setdefault(deputy_id, {})[PointItem.SUGGESTION_COSIGNED] = row["n"]
    supervised = _grouped(
        SupervisionVisit.objects.filter(deputy__in=ids, visited_on__range=(start, end)),
        "deputy_id",
        n=Count("project_id", distinct=True),
    )
    for deputy_id, row in supervised.items():
        figures.setdefault(deputy_id, {})[PointItem.PROJECT_SUPERVISED] = row["n"]
    return figures


def item_labels() -> list[tuple[str, str]]:
    """Each point item with its label in the active language."""
    return [(item.value, str(item.label)) for item in PointItem]


@dataclass
class DeputyFigures:
    deputy: Deputy
    counts: dict[str, int]
    points: Decimal = Decimal(0)
    rank: int | None = None
    breakdown: list[tuple[str, str, int, Decimal, Decimal]] = field(default_factory=list)

    def __getitem__(self, key):
        # Raises KeyError for anything but a figure, so templates fall back to attributes (``points``).
        return self.counts[key]


def score(deputy: Deputy, counts: dict[str, int], weights: dict[str, Decimal], labels=None) -> DeputyFigures:
    """The deputy's figures (every one, 0 when nothing was counted) and the points they earn.

    ``labels`` ([(item, label)], from ``item_labels()``) saves translating every label per deputy.
    """
    counts = {key: counts.get(key, 0) or 0 for key in FIGURE_KEYS}
    breakdown = []
    total = Decimal(0)
    for item, label in labels or item_labels():
        count = counts.get(item)
        if count is None:
            continue
        weight = weights.get(item, Decimal(0))
        points = weight * count
        total += points
        breakdown.append((item, label, count, weight, points))
    return DeputyFigures(deputy=deputy, counts=counts, points=total, breakdown=breakdown)


def ranking(deputies: QuerySet[Deputy], year: int, *, summary=None) -> list[DeputyFigures]:
    """Every deputy of ``deputies`` with figures and points, best first; equal points share a rank.

    Twelve queries whatever the number of deputies: the weights, the deputies, and the grouped
    passes of ``deputy_figures``. With ``summary`` (a fresh ``reports.summaries.current()``), three:
    the figures are read from the deputies' year summary.
    """
    weights = point_weights()
    people = list(deputies.order_by())
    if not people:
        return []
    if summary is not None and year >= (summary.first_year or year):
        figures = deputy_figures_of(deputies, year)
    else:
        listed = [d.id for d in people] if len(people) <= LISTED_DEPUTIES else deputies
        figures = deputy_figures(listed, year)
    labels = item_labels()
    rows = [score(d, figures.get(d.id, {}), weights, labels) for d in people]
    rows.sort(key=lambda r: (-r.points, r.deputy.name, r.deputy.id))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.points != previous:
            rank, previous = position, row.points
        row.rank = rank
    return rows


def peer_ranking(kind: str, year: int) -> list[DeputyFigures]:
    """The ranking a deputy's rank is read from: active deputies of the same kind."""
    return ranking(Deputy.objects.filter(is_active=True, kind=kind), year)
