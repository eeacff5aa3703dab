"""The ranking's set-based figures equal the per-deputy definitions, on a random city.

``reference_figures`` below is the former implementation kept as the reference: every figure a
correlated subquery on the deputy (exact, but it re-reads the year once per deputy). The ranking now
computes each group of figures in one grouped pass (``reports.metrics.deputy_figures``); both must
give the same numbers for every deputy, every year and any set of deputies.
"""

import datetime

import pytest
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from deputies.models import Deputy
from duties.models import (
    ActivityAttendance,
    AttendanceStatus,
    GridDuty,
    GridDutyKind,
    VoterContact,
)
from liaison.models import Opinion, ReceptionDay, Visit
from livelihood.models import SupervisionVisit
from reports.metrics import FIGURE_KEYS, counted_suggestions, deputy_figures, ranking, year_bounds
from reports.models import PointItem
from suggestions.models import CoSignature, CoSignStatus, Rating, ReplyClass, State


class _CountDistinct(Func):
    function = "COUNT"
    template = "COUNT(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _count(queryset, column="id"):
    counted = queryset.order_by().annotate(n=_CountDistinct(F(column))).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _sum(queryset, column):
    summed = queryset.order_by().annotate(total=Func(F(column), function="SUM")).values("total")
    return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))


def reference_figures(deputies, year: int) -> dict[int, dict[str, int]]:
    """The figures as one correlated subquery per figure and deputy (the former definitions)."""
    start, end = year_bounds(year)
    deputy = OuterRef("pk")
    visits = Visit.objects.filter(date__range=(start, end), deputies=deputy)
    duties = GridDuty.objects.filter(deputy=deputy, date__range=(start, end))
    led = counted_suggestions(year).filter(lead_deputy=deputy)
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
    rows = deputies.order_by().annotate(**{f"fig_{key}": e for key, e in expressions.items()})
    return {d.id: {key: getattr(d, f"fig_{key}") for key in expressions} for d in rows}


def _years():
    today = datetime.date.today()
    return [today.year - 2, today.year - 1, today.year]


@pytest.mark.postgres
def test_grouped_figures_equal_the_per_deputy_subqueries_on_a_random_city(random_city):
    everyone = Deputy.objects.all()
    some = Deputy.objects.filter(id__in=list(Deputy.objects.order_by("id").values_list("id", flat=True)[::3]))
    nonzero = set()
    for year in _years():
        for deputies in (everyone, some):
            expected = reference_figures(deputies, year)
            grouped = deputy_figures(deputies, year)
            actual = {d: {key: grouped.get(d, {}).get(key, 0) for key in FIGURE_KEYS} for d in expected}
            assert actual == expected, year
            assert not set(grouped) - set(expected), "figures of a deputy outside the set"
            nonzero |= {key for row in expected.values() for key, n in row.items() if n}
    # The random city exercises every figure but the livelihood supervision (not seeded here).
    assert nonzero >= set(FIGURE_KEYS) - {PointItem.PROJECT_SUPERVISED}


@pytest.mark.postgres
def test_the_ranking_reads_the_grouped_figures(random_city):
    year = _years()[1]
    rows = ranking(Deputy.objects.all(), year)
    expected = reference_figures(Deputy.objects.all(), year)
    assert {row.deputy.id: row.counts for row in rows} == expected
    assert [row.points for row in rows] == sorted((row.points for row in rows), reverse=True)


def test_grouped_figures_equal_the_per_deputy_subqueries_on_the_street(street):
    """The hand-built street of tests/reports/seed.py (the figures its other tests check by hand)."""
    for deputies in (Deputy.objects.all(), Deputy.objects.filter(id=street.main.id)):
        expected = reference_figures(deputies, street.year)
        grouped = deputy_figures(deputies, street.year)
        assert {d: {k: grouped.get(d, {}).get(k, 0) for k in FIGURE_KEYS} for d in expected} == expected
    assert expected[street.main.id][PointItem.OPINION] > 0
