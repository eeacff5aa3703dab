"""Which date places each station figure in a period: defined here once, for every reader.

``core.periods`` explains periods and the two bases. The five station figures
(``liaison.selectors.station_statistics``, ``GET /api/v1/stats/stations/``, the station dashboard):

| figure | cohort (default) | activity |
|---|---|---|
| ``visits_person_times`` | visit date | visit date |
| ``opinions`` | day received | day received |
| ``answered_on_site``, ``escalated`` | day the opinion was received (outcome so far) | day the outcome was recorded |
| ``resolved`` | day the opinion was received (resolved so far) | day it was resolved |

A visit and the receipt of an opinion are events themselves, so both bases place them alike.
"""

from django.db.models import Q
from django.utils.translation import gettext_noop

from core.periods import Basis, Period

# figure → (column, is a datetime) per basis; the visit figure's column is on ``Visit``, the others on ``Opinion``.
STATION_FIGURE_DATES: dict[str, dict[str, tuple[str, bool]]] = {
    Basis.COHORT: {
        "visits_person_times": ("date", False),
        "opinions": ("received_on", False),
        "answered_on_site": ("received_on", False),
        "escalated": ("received_on", False),
        "resolved": ("received_on", False),
    },
    Basis.ACTIVITY: {
        "visits_person_times": ("date", False),
        "opinions": ("received_on", False),
        "answered_on_site": ("outcome_at", True),
        "escalated": ("outcome_at", True),
        "resolved": ("resolved_at", True),
    },
}

# What the statistics pages (translated) and the API schema (English) say about the two bases.
STATION_BASIS_TEXT = {
    Basis.COHORT: gettext_noop(
        "Person-times by visit date; opinions received in the period, and of those the ones "
        "answered on site, escalated and resolved so far."
    ),
    Basis.ACTIVITY: gettext_noop(
        "Person-times by visit date; opinions received in the period; outcomes (answered on site, "
        "escalated) recorded in the period; opinions resolved in the period, whenever they were received."
    ),
}


def figure_q(basis: str, figure: str, period: Period) -> Q:
    """The rows that ``figure`` counts in ``period`` on ``basis``."""
    column, moment = STATION_FIGURE_DATES[basis][figure]
    return period.q(column, moment=moment)
