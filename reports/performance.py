"""The performance file (履职档案): a deputy's year, assembled from what the product records.

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
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Func, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext

from deputies.models import Deputy
from duties.models import (
    CONSTITUENT_LINKS_MIN,
    DUTY_PERIODS,
    VOTER_CONTACTS_PER_YEAR,
    ActivityAttendance,
    AttendanceStatus,
    DutyPeriod,
    GridAssignment,
    GridDuty,
    GridDutyKind,
    VoterContact,
)
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


# --- "四个一" compliance ---------------------------------------------------------------------------


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


# --- One deputy's file ----------------------------------------------------------------------------


@dataclass
class PerformanceFile:
    """Everything the file page and the 履职报告 PDF show for one deputy and year."""

    deputy: Deputy
    year: int
    period: tuple[datetime.date, datetime.date]
    figures: DeputyFigures
    rank: int | None
    ranked: int
    compliance: list[DutyCompliance]
    terms: list
    groups: list
    assignments: list
    resident_stations: list
    reception_days: list
    activities: list
    suggestions_led: list
    suggestions_cosigned: list
    projects: list
    voter_contacts: list
    constituent_links: int
    monthly_visits: list[int]
    monthly_opinions: list[int]

    @property
    def reception_by_month(self) -> list[dict]:
        """Reception days served grouped by month and station, for a compact table."""
        groups: dict = {}
        for day in self.reception_days:
            groups.setdefault((day.date.month, day.station.name), []).append(day.date.day)
        return [{"month": m, "station": st, "days": days} for (m, st), days in sorted(groups.items())]

    @property
    def voter_contact_people(self) -> int:
        return sum(contact.people for contact in self.voter_contacts)

    @property
    def voter_contacts_required(self) -> int:
        return VOTER_CONTACTS_PER_YEAR

    @property
    def constituent_links_required(self) -> int:
        return CONSTITUENT_LINKS_MIN

    @property
    def duties_done(self) -> int:
        return compliance_totals(self.compliance)[0]

    @property
    def duties_due(self) -> int:
        return compliance_totals(self.compliance)[1]

    @property
    def duty_rate(self) -> float | None:
        done, due = compliance_totals(self.compliance)
        return done / due if due else None


def _monthly(queryset, date_field: str, year: int, value=None) -> list[int]:
    aggregate = Sum(value) if value else Count("id", distinct=True)
    rows = (
        queryset.order_by()
        .annotate(month=ExtractMonth(date_field))
        .values("month")
        .annotate(n=aggregate)
        .values_list("month", "n")
    )
    months = [0] * 12
    for month, n in rows:
        months[month - 1] = n or 0
    return months


def peer_ranking(kind: str, year: int) -> list[DeputyFigures]:
    """The ranking a deputy's rank is read from: active deputies of the same kind."""
    return ranking(Deputy.objects.filter(is_active=True, kind=kind), year)


def performance_file(deputy: Deputy, year: int, *, peers: list[DeputyFigures] | None = None) -> PerformanceFile:
    """Assemble the file of ``deputy`` for ``year`` (about fifteen queries, none per row).

    The rank is among active deputies of the same kind (congress deputies or
    deliberation representatives), since 优秀代表 are chosen within each. A batch
    passes ``peers`` (``peer_ranking``) computed once, instead of once per deputy.
    """
    start, end = year_bounds(year)
    rows = peers if peers is not None else peer_ranking(deputy.kind, year)
    mine = next((row for row in rows if row.deputy.id == deputy.id), None)
    if mine is None:  # an inactive deputy is not ranked; their own figures still are
        mine = ranking(Deputy.objects.filter(id=deputy.id), year)[0]
        mine.rank = None
    visits = Visit.objects.filter(date__range=(start, end), deputies=deputy)
    opinions = Opinion.objects.filter(received_on__range=(start, end)).filter(
        Q(deputy=deputy) | Q(visit__deputies=deputy)
    )
    days = (
        ReceptionDay.objects.filter(date__range=(start, end), is_cancelled=False)
        .filter(Q(roster__deputy=deputy) | Q(roster__group__members=deputy))
        .select_related("station")
        .distinct()
        .order_by("date", "station__name")
    )
    led = (
        counted_suggestions(year).filter(lead_deputy=deputy).select_related("lead_unit").order_by("submitted_at", "id")
    )
    cosigned = (
        counted_suggestions(year)
        .filter(cosignatures__deputy=deputy, cosignatures__status=CoSignStatus.CONFIRMED)
        .select_related("lead_unit", "lead_deputy")
        .order_by("submitted_at", "id")
    )
    projects = (
        SupervisionVisit.objects.filter(deputy=deputy, visited_on__range=(start, end))
        .values("project_id", "project__title", "project__responsible_unit__name", "project__progress_percent")
        .annotate(visits=Count("id"), last_visit=Max("visited_on"))
        .order_by("project__title")
    )
    return PerformanceFile(
        deputy=deputy,
        year=year,
        period=(start, end),
        figures=mine,
        rank=mine.rank,
        ranked=len(rows),
        compliance=duty_compliance([deputy.id], year)[deputy.id],
        terms=list(deputy.terms.order_by("level")),
        groups=list(deputy.groups.order_by("name")),
        assignments=list(
            deputy.grid_assignments.filter(Q(end_date__isnull=True) | Q(end_date__gte=start), start_date__lte=end)
            .select_related("grid__centre__community__station")
            .order_by("grid__code")
        ),
        resident_stations=list(deputy.resident_stations.order_by("name")),
        reception_days=list(days),
        activities=list(
            ActivityAttendance.objects.filter(
                deputy=deputy, status=AttendanceStatus.PRESENT, activity__date__range=(start, end)
            )
            .select_related("activity__station")
            .order_by("activity__date", "activity_id")
        ),
        suggestions_led=list(led),
        suggestions_cosigned=list(cosigned),
        projects=list(projects),
        voter_contacts=list(
            VoterContact.objects.filter(deputy=deputy, date__range=(start, end)).order_by("date", "id")
        ),
        constituent_links=deputy.constituent_links.count(),
        monthly_visits=_monthly(visits, "date", year),
        monthly_opinions=_monthly(opinions, "received_on", year),
    )
