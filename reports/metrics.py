"""The figures of the performance file (履职档案) and the ranking of deputies by points.

Counting is done in the database: every figure is a correlated subquery on the
deputy, so the ranking of all deputies costs one query whatever their number, and
a deputy's own file uses exactly the same definitions as the ranking.

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

from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from deputies.models import Deputy
from duties.models import ActivityAttendance, AttendanceStatus, GridDuty, GridDutyKind, VoterContact
from liaison.models import Opinion, ReceptionDay, Visit
from livelihood.models import SupervisionVisit
from reports.models import DEFAULT_WEIGHTS, PointItem, PointWeight
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


class _CountDistinct(Func):
    function = "COUNT"
    template = "COUNT(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _count(queryset, column: str = "id") -> Coalesce:
    """COUNT(DISTINCT column) over ``queryset`` (filtered by OuterRef) as a scalar subquery."""
    counted = queryset.order_by().annotate(n=_CountDistinct(F(column))).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _sum(queryset, column: str) -> Coalesce:
    summed = queryset.order_by().annotate(total=Func(F(column), function="SUM")).values("total")
    return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))


# Suggestions that count in a deputy's year: submitted that year and accepted as suggestions
# (not returned by the office, not withdrawn, not a draft).
NOT_COUNTED_STATES = (State.DRAFT, State.RETURNED, State.WITHDRAWN)


def counted_suggestions(year: int) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(submitted_at__year=year).exclude(state__in=NOT_COUNTED_STATES)


def suggestion_expressions(year: int) -> dict[str, object]:
    """Figures from the suggestion and livelihood apps, as expressions on ``Deputy``."""
    deputy = OuterRef("pk")
    led = counted_suggestions(year).filter(lead_deputy=deputy)
    start, end = year_bounds(year)
    return {
        PointItem.SUGGESTION_LED: _count(led),
        PointItem.SUGGESTION_COSIGNED: _count(
            CoSignature.objects.filter(
                deputy=deputy, status=CoSignStatus.CONFIRMED, suggestion__in=counted_suggestions(year)
            )
        ),
        PointItem.SUGGESTION_RESOLVED: _count(
            led.filter(Q(reply_class=ReplyClass.A) | Q(follow_up_solved_on__isnull=False))
        ),
        "suggestions_closed": _count(led.filter(state=State.CLOSED)),
        "suggestions_satisfied": _count(led.filter(state=State.CLOSED, final_rating=Rating.SATISFIED)),
        "suggestions_basically_satisfied": _count(
            led.filter(state=State.CLOSED, final_rating=Rating.BASICALLY_SATISFIED)
        ),
        "suggestions_unsatisfied": _count(led.filter(state=State.CLOSED, final_rating=Rating.UNSATISFIED)),
        PointItem.PROJECT_SUPERVISED: _count(
            SupervisionVisit.objects.filter(deputy=deputy, visited_on__range=(start, end)), "project_id"
        ),
    }


def _metric_expressions(year: int) -> dict[str, object]:
    """Each figure of the file as an expression on ``Deputy`` (the outer query)."""
    start, end = year_bounds(year)
    deputy = OuterRef("pk")
    visits = Visit.objects.filter(date__range=(start, end), deputies=deputy)
    duties = GridDuty.objects.filter(deputy=deputy, date__range=(start, end))
    expressions = {
        PointItem.RECEPTION_DAY: _count(
            ReceptionDay.objects.filter(date__range=(start, end), is_cancelled=False).filter(
                Q(roster__deputy=deputy) | Q(roster__group__members=deputy)
            )
        ),
        PointItem.VISIT: _count(visits),
        "person_times": _sum(visits, "headcount"),
        PointItem.OPINION: _count(
            Opinion.objects.filter(received_on__range=(start, end)).filter(Q(deputy=deputy) | Q(visit__deputies=deputy))
        ),
        PointItem.GRID_DUTY: _count(duties.exclude(kind=GridDutyKind.REPORT)),
        PointItem.REPORT_TO_CONSTITUENTS: _count(duties.filter(kind=GridDutyKind.REPORT)),
        PointItem.ACTIVITY: _count(
            ActivityAttendance.objects.filter(
                deputy=deputy, status=AttendanceStatus.PRESENT, activity__date__range=(start, end)
            )
        ),
        PointItem.VOTER_CONTACT: _count(VoterContact.objects.filter(deputy=deputy, date__range=(start, end))),
    }
    expressions.update(suggestion_expressions(year))
    return expressions


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


def annotate_figures(deputies: QuerySet[Deputy], year: int) -> QuerySet[Deputy]:
    """``deputies`` with one ``fig_<item>`` column per figure of the file (one query when evaluated)."""
    return deputies.annotate(**{f"fig_{key}": expression for key, expression in _metric_expressions(year).items()})


def score(deputy: Deputy, weights: dict[str, Decimal]) -> DeputyFigures:
    """Read the ``fig_*`` columns of an annotated deputy and compute its points."""
    counts = {key[4:]: getattr(deputy, key) or 0 for key in vars(deputy) if key.startswith("fig_")}
    breakdown = []
    total = Decimal(0)
    for item in PointItem:
        count = counts.get(item.value)
        if count is None:
            continue
        weight = weights.get(item.value, Decimal(0))
        points = weight * count
        total += points
        breakdown.append((item.value, item.label, count, weight, points))
    return DeputyFigures(deputy=deputy, counts=counts, points=total, breakdown=breakdown)


def ranking(deputies: QuerySet[Deputy], year: int) -> list[DeputyFigures]:
    """Every deputy of ``deputies`` with figures and points, best first; equal points share a rank.

    Two queries: the weights, and the deputies with every figure annotated.
    """
    weights = point_weights()
    rows = [score(d, weights) for d in annotate_figures(deputies.order_by(), year)]
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
