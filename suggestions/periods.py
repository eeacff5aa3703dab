"""Which date places each suggestion figure in a period: defined here once, for every reader.

``core.periods`` explains periods and the two bases. The suggestion metrics (``metric_aggregates``,
``GET /api/v1/stats/suggestions/``, the statistics page, the dashboards and the annual reports) count
the suggestions that were assigned (交办) and not withdrawn. On the ``cohort`` basis (the default)
every figure counts the suggestions **first submitted** in the period — the same year as the
suggestion list's ``year`` filter — and what has become of them so far. On the ``activity`` basis
each figure counts the events of the period:

| figures | cohort (default) | activity |
|---|---|---|
| ``assigned`` | first submitted | assigned (交办) in the period |
| ``replied``, ``on_time``, ``a_class``, ``contacted`` | first submitted | first reply given in the period |
| ``closed``, ``final_evaluations``, ``final_satisfied`` | first submitted | closed (final evaluation) in the period |
| ``first_evaluations``, ``first_satisfied`` | first submitted | first evaluation in the period |

The day of first submission never changes (a suggestion returned and resubmitted, or taken back from
its unit and assigned again, stays in its cohort), so a suggestion belongs to one year for good. The
rates divide what the figures count: on the activity basis ``reply_rate`` is the replies of the
period ÷ the assignments of the period.
"""

from django.db.models import Q
from django.utils.translation import gettext_noop

from core.periods import Basis, Period

COHORT_DATE = "submitted_at"


# The events of the activity basis: event → (its column, is a datetime); the first evaluation is read from
# the ``Evaluation`` rows (``is_first``, ``evaluated_at``).
EVENTS: dict[str, tuple[str, bool] | None] = {
    "assignment": ("assigned_on", False),
    "first_reply": ("first_replied_on", False),
    "closure": ("closed_at", True),
    "first_evaluation": None,
}

# figure (a key of ``metric_aggregates``) → the event that places it in a period on the activity basis.
FIGURE_EVENTS: dict[str, str] = {
    "assigned": "assignment",
    "replied": "first_reply",
    "on_time": "first_reply",
    "a_class": "first_reply",
    "contacted": "first_reply",
    "closed": "closure",
    "final_evaluations": "closure",
    "final_satisfied": "closure",
    "first_evaluations": "first_evaluation",
    "first_satisfied": "first_evaluation",
}


def event_q(event: str, period: Period) -> Q:
    """The suggestions whose ``event`` happened in ``period``."""
    if EVENTS[event] is None:
        from suggestions.models import Evaluation

        firsts = Evaluation.objects.filter(period.q("evaluated_at", moment=True), is_first=True)
        return Q(id__in=firsts.values("suggestion_id"))
    column, moment = EVENTS[event]
    return period.q(column, moment=moment)


def event_moment(event: str):
    """The date or moment of ``event`` as an expression on ``Suggestion`` (what the summaries group by year)."""
    if EVENTS[event] is None:
        from django.db.models import DateTimeField, OuterRef, Subquery

        from suggestions.models import Evaluation

        firsts = Evaluation.objects.filter(suggestion=OuterRef("pk"), is_first=True).order_by("evaluated_at")
        return Subquery(firsts.values("evaluated_at")[:1], output_field=DateTimeField())
    from django.db.models import F

    return F(EVENTS[event][0])


# What the statistics pages (translated) and the API schema (English) say about the two bases.
SUGGESTION_BASIS_TEXT = {
    Basis.COHORT: gettext_noop(
        "Suggestions first submitted in the period (and assigned), and what became of them so far."
    ),
    Basis.ACTIVITY: gettext_noop(
        "The work of the period: suggestions assigned, first replies given, suggestions closed and "
        "evaluations made in it, whenever the suggestions were submitted."
    ),
}


def counted_q() -> Q:
    """The suggestions every metric counts, whatever the period: assigned (交办) and not withdrawn."""
    from suggestions.models import State

    return Q(assigned_on__isnull=False) & ~Q(state=State.WITHDRAWN)


def cohort_q(period: Period) -> Q:
    """The cohort of ``period``: first submitted in it (the suggestion list's ``year`` filter too)."""
    return period.q(COHORT_DATE, moment=True)


def figure_q(figure: str, period: Period) -> Q:
    """The rows ``figure`` counts in ``period`` on the activity basis."""
    return event_q(FIGURE_EVENTS[figure], period)


def activity_q(period: Period) -> Q:
    """The suggestions with at least one event of the period (what the activity figures read)."""
    anywhere = Q()
    for event in EVENTS:
        anywhere |= event_q(event, period)
    return anywhere
