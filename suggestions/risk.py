"""Deadline risk (逾期风险): how likely an open suggestion is to miss its reply deadline, and why.

**Which suggestions.** Those whose lead unit owes a reply (assigned, in progress, re-handling) and whose
reply deadline is today or later: an overdue one has missed it already and is on the overdue list.

**The model** is a logistic score, ``p = 1 / (1 + exp(-z))`` with ``z = INTERCEPT + Σ WEIGHTS[name] · x``
(``Features.vector``, ``probability``), over what the product already records:

- ``late_logit`` — the log-odds that the lead unit is late, from its record over the year before today
  (``unit_history``): of its suggestions whose first reply came, or whose deadline passed without one,
  in that year, *those still unanswered after as many days as this one has spent*, the share that
  ended late. On the day of 交办 that is the unit's plain late rate; two months on, the items it answers
  quickly have dropped out and the rate is that of its slow ones. This is where the unit's time to reply
  enters: a unit that usually answers in 40 days and still has not after 70 is judged on its items that
  took that long. Counted for the suggestion's category, shrunk towards the unit's rate over all
  categories and that towards the city's (``SHRINK`` pseudo-items each), so that a unit with three items
  of a category is not judged on those three alone;
- ``holidays`` — working days the public holidays take out of the time left (weekdays off on the
  official working-day calendar of ``suggestions.deadlines``, provisional years included), per week of
  5: offices stall around the Spring Festival and National Day beyond the days off themselves;
- ``co_opinions`` — 1 while a co-unit's written opinion for the first reply has not come;
- ``rehandling`` — 1 when the unit is replying again after an unsatisfied evaluation;
- ``extension`` — 1 when the unit has asked for a later deadline (pending, granted or refused): it said
  itself that the time is short.

The working days left are computed and said in every reason list, but are not a term of their own: the
conditional record already carries them (the deadline is three months after 交办, so days spent and
days left go together), and fitted on top of it a ``log(1 + working days left)`` term took a small
*positive* weight (+0.31) that would make no sense as a rule, so it was left out.

**The weights** are in ``WEIGHTS``. Those named in ``FITTED`` (and ``INTERCEPT``) were fitted by logistic
regression (Newton's method) with ``bench/risk.py --fit`` on the replayed history of a generated city
(``manage.py seed_city --scale 0.1``: the years before the one it is evaluated on); ``bench/RESULTS.md``
gives the run and how the ranking compares with the ranking by days left. The generated history holds
no co-unit opinions, re-handling deadlines or extension requests, so those three weights are chosen, not
fitted: 0.5 to 0.7 each, as much as the unit's odds of being late rising by half. Refit them on a real
city's history when there is one. In words: the odds of missing the deadline are the unit's odds of
being late (among items open as long) to the power 1.31, times e^-1.45, times about 1.8 per week of
holidays ahead, 1.6 for a missing co-unit opinion or re-handling, 2 for an extension request.

**The reasons** (``reasons``) put the features into words, those that raise the risk most (against a
unit late as often as the city) first, e.g.
「主办单位近一年同类建议按期率 62%；协办意见未到；距答复期限 9 个工作日，其间含春节」.

Everything here reads with a fixed number of queries whatever the number of suggestions (``assess``); the
scoped selection of suggestions is the caller's (``selectors.suggestions_at_risk``, the reminder rule).
"""

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suggestions import statutory
from suggestions.deadlines import WorkingCalendar
from suggestions.models import (
    AWAITING_REPLY,
    Assignment,
    AssignmentRole,
    CoUnitOpinion,
    Extension,
    RequestStatus,
    State,
    Suggestion,
)

# --- The model ------------------------------------------------------------------------------------

INTERCEPT = -1.45
# The weights ``bench/risk.py --fit`` fits; the others are chosen (see the module docstring).
FITTED = ("late_logit", "holidays")
WEIGHTS = {
    "late_logit": 1.31,
    "holidays": 0.57,
    "co_opinions": 0.5,
    "rehandling": 0.5,
    "extension": 0.7,
}
# The record is read over this many days before today.
HISTORY_DAYS = 365
# Pseudo-items pulling a unit's rate in a category towards its overall rate, and that towards the city's.
SHRINK = 10
# Fewer items than this in the year: the reasons quote the unit's overall rate instead of the category's.
MIN_QUOTED = 5

# From this many days after 交办 the reasons also quote the record of the items still open that long.
CONDITIONAL_QUOTED_AFTER = 14

# Levels shown on the list; the reminder warns the lead unit once per level reached (and per deadline).
HIGH = 0.5
VERY_HIGH = 0.75
MEDIUM = 0.25


class Level:
    VERY_HIGH = "very_high"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


LEVEL_LABELS = {
    Level.VERY_HIGH: gettext_lazy("Very high"),
    Level.HIGH: gettext_lazy("High"),
    Level.MEDIUM: gettext_lazy("Medium"),
    Level.LOW: gettext_lazy("Low"),
}
# The levels the reminder warns at, with their lower bounds.
REMINDED_LEVELS = ((Level.VERY_HIGH, VERY_HIGH), (Level.HIGH, HIGH))


def level_of(probability: float) -> str:
    if probability >= VERY_HIGH:
        return Level.VERY_HIGH
    if probability >= HIGH:
        return Level.HIGH
    if probability >= MEDIUM:
        return Level.MEDIUM
    return Level.LOW


# --- The lead units' record -----------------------------------------------------------------------

# Days to reply of a suggestion whose deadline passed without a reply: later than any reply.
NEVER = 10**6


class Tally:
    """Suggestions whose first-reply outcome was known in the year: the days each took to reply (``NEVER``
    when it had not replied by the end of the year), sorted, and the same for the late ones only."""

    def __init__(self, days: list[int] | None = None, late_days: list[int] | None = None):
        self.days = sorted(days or [])
        self.late_days = sorted(late_days or [])

    @property
    def decided(self) -> int:
        return len(self.days)

    @property
    def late(self) -> int:
        return len(self.late_days)

    def still_open(self, spent: int) -> tuple[int, int]:
        """Of the items still unanswered after ``spent`` days: how many, and how many of them were late."""
        return (
            len(self.days) - bisect_right(self.days, spent),
            len(self.late_days) - bisect_right(self.late_days, spent),
        )

    @cached_property
    def _answered(self) -> tuple[int, int]:
        answered = self.days[: bisect_right(self.days, NEVER - 1)]
        return sum(answered), len(answered)

    def mean_reply_days(self) -> tuple[int, int]:
        """The total days to reply of the answered items, and how many they are."""
        return self._answered

    @classmethod
    def merged(cls, tallies) -> "Tally":
        tally = cls()
        for each in tallies:
            tally.days += each.days
            tally.late_days += each.late_days
        tally.days.sort()
        tally.late_days.sort()
        return tally


@dataclass(frozen=True)
class Record:
    """The lead unit's record as the model and the reasons use it."""

    late_rate: float  # shrunk, among the items still unanswered after as many days as this one has spent
    mean_reply_days: float  # shrunk
    quoted_on_time: float | None  # the unshrunk on-time rate the reasons quote, or None when too few items
    quoted_count: int
    quoted_scope: str  # "category", "unit" or ""
    # Of the quoted items still unanswered after as many days as this one has spent: the share late, how many.
    quoted_open_late: float | None = None
    quoted_open_count: int = 0
    # The city's late rate among the items still open that long: what the unit is compared with.
    city_late_rate: float = 0.5


def _shrunk(part: int, whole: int, prior: float) -> float:
    return (part + SHRINK * prior) / (whole + SHRINK)


class History:
    """The lead units' record over the ``HISTORY_DAYS`` before ``as_of``, by unit and category.

    The late rate the model uses is *conditional*: among the unit's items of the category that were
    still unanswered after as many days as this suggestion has spent, the share that ended late. On the
    day of 交办 that is the plain late rate; a month later the items the unit answers quickly have dropped
    out, and what remains is what this suggestion is now compared with.
    """

    def __init__(self, tallies: dict[tuple[int, str], Tally], as_of: date):
        self.as_of = as_of
        self.by_pair = tallies
        grouped: dict[int, list[Tally]] = defaultdict(list)
        for (unit_id, _category), tally in tallies.items():
            grouped[unit_id].append(tally)
        self.by_unit = {unit_id: Tally.merged(each) for unit_id, each in grouped.items()}
        self.city = Tally.merged(tallies.values())
        total, answered = self.city.mean_reply_days()
        # A city without history is assumed to use half of the legal three months.
        self.city_days = (total + 45 * SHRINK) / (answered + SHRINK)

    def record(self, unit_id: int, category: str, spent: int = 0) -> Record:
        empty = Tally()
        unit = self.by_unit.get(unit_id, empty)
        pair = self.by_pair.get((unit_id, category), empty)
        city_open, city_late = self.city.still_open(spent)
        city_rate = (city_late + 1) / (city_open + 2)
        unit_rate = _shrunk(*reversed(unit.still_open(spent)), city_rate)
        late_rate = _shrunk(*reversed(pair.still_open(spent)), unit_rate)
        unit_days = _shrunk(*unit.mean_reply_days(), self.city_days)
        mean_days = _shrunk(*pair.mean_reply_days(), unit_days)
        if pair.decided >= MIN_QUOTED:
            quoted, scope = pair, "category"
        elif unit.decided >= MIN_QUOTED:
            quoted, scope = unit, "unit"
        else:
            quoted, scope = None, ""
        still_open, late = quoted.still_open(spent) if quoted else (0, 0)
        return Record(
            late_rate=late_rate,
            mean_reply_days=mean_days,
            quoted_on_time=(1 - quoted.late / quoted.decided) if quoted else None,
            quoted_count=quoted.decided if quoted else 0,
            quoted_scope=scope,
            quoted_open_late=late / still_open if still_open >= MIN_QUOTED else None,
            quoted_open_count=still_open,
            city_late_rate=city_rate,
        )


def unit_history(as_of: date) -> History:
    """The record of every lead unit over the year before ``as_of`` (``as_of`` excluded). One query.

    A suggestion counts when its first reply came in that year (late or not, as recorded when it
    came), or when its reply deadline passed in that year with no reply by ``as_of`` (late). Replaying
    the past, ``as_of`` is the day of the prediction: nothing after it is read. The rows are read, not
    aggregated, because the conditional rates need each item's days to reply (a year of a whole city is
    some 36,000 short rows).
    """
    start = as_of - timedelta(days=HISTORY_DAYS)
    replied = Q(first_replied_on__gte=start, first_replied_on__lt=as_of)
    missed = Q(reply_due__gte=start, reply_due__lt=as_of) & (
        Q(first_replied_on__isnull=True) | Q(first_replied_on__gte=as_of)
    )
    rows = (
        Suggestion.objects.filter(replied | missed, lead_unit__isnull=False, assigned_on__isnull=False)
        .exclude(state=State.WITHDRAWN)
        .order_by()
        .values_list("lead_unit_id", "category", "assigned_on", "first_replied_on", "first_reply_on_time")
    )
    days: dict[tuple[int, str], list[int]] = defaultdict(list)
    late_days: dict[tuple[int, str], list[int]] = defaultdict(list)
    for unit_id, category, assigned_on, replied_on, on_time in rows:
        answered = replied_on is not None and replied_on < as_of
        taken = (replied_on - assigned_on).days if answered else NEVER
        days[unit_id, category].append(taken)
        if not answered or on_time is False:
            late_days[unit_id, category].append(taken)
    return History({key: Tally(value, late_days.get(key)) for key, value in days.items()}, as_of)


# --- The calendar ahead -----------------------------------------------------------------------------


class DaysAhead:
    """Working days and public holidays between ``today`` and the deadlines after it, walked once.

    One ``WorkingCalendar`` (a query per pair of years crossed), so a list of thousands of suggestions
    costs the same as one.
    """

    def __init__(self, today: date, calendar: WorkingCalendar | None = None):
        self.today = today
        self.calendar = calendar or WorkingCalendar()
        self._working = [0]  # [i]: working days in (today, today + i]
        self._off = [0]  # [i]: weekdays off in (today, today + i]
        self._names: list[str | None] = [None]  # [i]: the holiday today + i belongs to, if a weekday off
        self._festivals: dict[int, dict[date, str]] = {}

    def _walk(self, until: date) -> int:
        index = (until - self.today).days
        while len(self._working) <= index:
            day = self.today + timedelta(days=len(self._working))
            working = self.calendar.is_working_day(day)
            off = not working and day.weekday() < 5
            self._working.append(self._working[-1] + working)
            self._off.append(self._off[-1] + off)
            self._names.append(self.festival(day) if off else None)
        return index

    def working_days_left(self, due: date) -> int:
        """Working days from tomorrow to ``due``, both included; 0 when ``due`` is today or past."""
        return self._working[self._walk(due)] if due > self.today else 0

    def holidays_before(self, due: date) -> tuple[int, tuple[str, ...]]:
        """Weekdays off from tomorrow to ``due``, and the holidays they belong to, in order."""
        if due <= self.today:
            return 0, ()
        index = self._walk(due)
        names = dict.fromkeys(name for name in self._names[1 : index + 1] if name)
        return self._off[index], tuple(names)

    def festival(self, day: date) -> str:
        """The public holiday a weekday off belongs to: the nearest statutory festival day (the days
        off around it, 调休 and 补假, take its name), or 「节假日」."""
        best, distance = _("public holidays"), 11
        for year in (day.year - 1, day.year, day.year + 1):
            if year not in self._festivals:
                self._festivals[year] = statutory.statutory_days(year)
            for festival_day, name in self._festivals[year].items():
                gap = abs((festival_day - day).days)
                if gap < distance:
                    best, distance = name, gap
        return best


# --- Features, score and reasons --------------------------------------------------------------------


@dataclass(frozen=True)
class Features:
    """What the model knows about one open suggestion on one day."""

    working_days_left: int
    days_left: int  # calendar days
    days_spent: int  # calendar days since 交办
    holiday_days: int  # weekdays off before the deadline
    holidays: tuple[str, ...]  # the holidays they belong to
    record: Record
    co_opinions_missing: int = 0
    rehandling: bool = False
    extension: str = ""  # the latest extension request's status, "" when none

    def vector(self) -> dict[str, float]:
        rate = min(max(self.record.late_rate, 0.001), 0.999)
        return {
            "late_logit": math.log(rate / (1 - rate)),
            "holidays": self.holiday_days / 5,
            "co_opinions": 1.0 if self.co_opinions_missing else 0.0,
            "rehandling": 1.0 if self.rehandling else 0.0,
            "extension": 1.0 if self.extension else 0.0,
        }


def probability(features: Features, weights: dict[str, float] | None = None, intercept: float | None = None) -> float:
    """The risk of missing the deadline, 0–1 (see the module docstring for the model)."""
    weights = WEIGHTS if weights is None else weights
    z = (INTERCEPT if intercept is None else intercept) + sum(
        weights[name] * value for name, value in features.vector().items()
    )
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def _contributions(features: Features) -> dict[str, float]:
    """What each feature adds to ``z`` against a reference suggestion: a unit late as often as the city
    (among the items open as long), no holiday ahead, nothing outstanding. Orders the reasons."""
    record = features.record
    reference = replace(
        features,
        holiday_days=0,
        holidays=(),
        record=replace(record, late_rate=record.city_late_rate),
        co_opinions_missing=0,
        rehandling=False,
        extension="",
    ).vector()
    vector = features.vector()
    return {name: WEIGHTS[name] * (vector[name] - reference[name]) for name in vector}


def reasons(features: Features) -> list[str]:
    """The features in words, those that raise the risk most first; the time left is always said."""
    contributions = _contributions(features)
    said: list[tuple[float, str]] = []
    record = features.record
    if record.quoted_on_time is not None:
        rate = round(record.quoted_on_time * 100)
        text = (
            _("lead unit on time for %(rate)s%% of similar suggestions in the past year")
            if record.quoted_scope == "category"
            else _("lead unit on time for %(rate)s%% of its suggestions in the past year")
        )
        said.append((contributions["late_logit"], text % {"rate": rate}))
    else:
        said.append((contributions["late_logit"], _("lead unit has too few replies in the past year to judge")))
    if features.days_spent >= CONDITIONAL_QUOTED_AFTER and record.quoted_open_late is not None:
        text = (
            _("of those still unanswered after %(days)s days, %(rate)s%% were late")
            if record.quoted_scope == "category"
            else _("of its suggestions still unanswered after %(days)s days, %(rate)s%% were late")
        )
        rate = round(record.quoted_open_late * 100)
        said.append((contributions["late_logit"] - 0.0005, text % {"days": features.days_spent, "rate": rate}))
    if features.days_spent > record.mean_reply_days:
        # Said with the record it belongs to: the conditional late rate already weighs it.
        said.append(
            (
                contributions["late_logit"] - 0.001,
                _("the lead unit usually replies in %(usual)s days; %(spent)s days have passed")
                % {"usual": round(record.mean_reply_days), "spent": features.days_spent},
            )
        )
    if features.co_opinions_missing == 1:
        said.append((contributions["co_opinions"], _("co-unit opinion not yet received")))
    elif features.co_opinions_missing:
        said.append(
            (
                contributions["co_opinions"],
                _("%(count)s co-unit opinions not yet received") % {"count": features.co_opinions_missing},
            )
        )
    if features.rehandling:
        said.append((contributions["rehandling"], _("handled again after an unsatisfied evaluation")))
    if features.extension:
        text = {
            RequestStatus.PENDING: _("an extension was requested and awaits a decision"),
            RequestStatus.APPROVED: _("the deadline was already extended"),
            RequestStatus.REJECTED: _("an extension was requested and refused"),
        }[features.extension]
        said.append((contributions["extension"], text))
    days = _("%(days)s working days to the reply deadline") % {"days": features.working_days_left}
    if features.holidays:
        holidays = "、".join(features.holidays)
        days = _("%(days_left)s, including %(holidays)s") % {"days_left": days, "holidays": holidays}
    said.append((contributions["holidays"], days))
    said.sort(key=lambda item: -item[0])
    return [text for _weight, text in said]


@dataclass
class Assessment:
    """One open suggestion's risk: the probability, its level, and the features behind them. The reasons
    are put into words when first read (a list shows 25 of thousands)."""

    suggestion: Suggestion
    probability: float
    features: Features

    @cached_property
    def reasons(self) -> list[str]:
        return reasons(self.features)

    @property
    def level(self) -> str:
        return level_of(self.probability)

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])

    @property
    def rounded(self) -> float:
        return round(self.probability, 4)

    @property
    def percent(self) -> int:
        return round(self.probability * 100)

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def open_q(today: date) -> Q:
    """Suggestions the risk list covers: a reply owed, its deadline today or later."""
    return Q(state__in=AWAITING_REPLY, reply_due__gte=today)


def _co_opinions_missing(ids: QuerySet) -> dict[int, int]:
    """Active co-units still owing their opinion for the first reply: {suggestion id: how many}. One query."""
    rows = (
        Assignment.objects.filter(suggestion_id__in=ids, active=True, role=AssignmentRole.CO, suggestion__reply_round=0)
        .exclude(Exists(CoUnitOpinion.objects.filter(assignment=OuterRef("pk"), round=1)))
        .order_by()
        .values("suggestion_id")
        .annotate(missing=Count("id"))
    )
    return {row["suggestion_id"]: row["missing"] for row in rows}


def _extensions(ids: QuerySet) -> dict[int, str]:
    """The latest extension request's status of each suggestion that has one. One query."""
    rows = (
        Extension.objects.filter(suggestion_id__in=ids)
        .order_by("suggestion_id", "requested_at", "id")
        .values_list("suggestion_id", "status")
    )
    return dict(rows)


def assess(suggestions: QuerySet[Suggestion], *, today: date) -> list[Assessment]:
    """The risk of every suggestion in ``suggestions`` that is open on ``today`` (``open_q``), highest first
    (then the nearest deadline, then the oldest). Queries: the suggestions, the record, the co-unit
    opinions, the extensions, and the working-day calendar (one per pair of years crossed)."""
    queryset = suggestions.filter(open_q(today))
    rows = list(queryset.order_by())
    if not rows:
        return []
    ids = queryset.order_by().values("id")
    history = unit_history(today)
    missing = _co_opinions_missing(ids)
    extensions = _extensions(ids)
    ahead = DaysAhead(today)
    result = []
    for suggestion in rows:
        off, holidays = ahead.holidays_before(suggestion.reply_due)
        features = Features(
            working_days_left=ahead.working_days_left(suggestion.reply_due),
            days_left=(suggestion.reply_due - today).days,
            days_spent=(today - suggestion.assigned_on).days,
            holiday_days=off,
            holidays=holidays,
            record=history.record(suggestion.lead_unit_id, suggestion.category, (today - suggestion.assigned_on).days),
            co_opinions_missing=missing.get(suggestion.pk, 0),
            rehandling=suggestion.state == State.REHANDLING,
            extension=extensions.get(suggestion.pk, ""),
        )
        result.append(Assessment(suggestion=suggestion, probability=probability(features), features=features))
    result.sort(key=lambda a: (-a.probability, a.suggestion.reply_due, a.suggestion.pk))
    return result


def by_level(assessments: Iterable[Assessment]) -> dict[str, int]:
    """How many assessments are at each level."""
    counts = dict.fromkeys(LEVEL_LABELS, 0)
    for assessment in assessments:
        counts[assessment.level] += 1
    return counts
