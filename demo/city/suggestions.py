"""Suggestions in every state, with assignments, co-signatures, replies and evaluations.

How long a lead unit takes to reply is not uniform noise: as in a real city, units differ in
punctuality (each unit draws a steady pace, some reliably early, a few habitually late), some categories
take longer (construction and property matters need surveys and funds), and a long public holiday
(春节, 国庆) inside the handling period delays the reply by about two calendar days per working day
lost. ``bench/risk.py`` replays this history, so it needs that structure to be there to find; the
draws for it come from their own seeded generator, so the rest of the city is the same as before.
"""

import datetime
import random

from django.utils import timezone

from demo.city.base import CityBase, fill, stored_timestamps
from demo.city.figures import CATEGORIES, MATTERS, SEED, STATE_WEIGHTS, SUGGESTIONS
from suggestions.deadlines import WorkingCalendar
from suggestions.models import (
    Assignment,
    AssignmentRole,
    CoSignature,
    CoSignStatus,
    Evaluation,
    Rating,
    Reply,
    ReplyClass,
    State,
    Suggestion,
)

# Categories whose replies take longer (a factor on the unit's pace); the others take 1.
SLOW_CATEGORIES = {"urban_construction": 1.2, "property": 1.15, "traffic": 1.1}
# Calendar days of delay per working day a holiday takes out of the handling period.
HOLIDAY_DELAY_PER_DAY = 2


class ReplyPace:
    """How many days a unit takes to reply to one suggestion: the uniform draw of 10 to 100 days,
    stretched by the unit's pace and the category, plus the holiday delay."""

    def __init__(self, *, scale: float, tag: str, units):
        rng = random.Random(f"{SEED}:{scale}:{tag}:reply-pace")
        # Log-normal, median 0.8: most units reply well within the three months, a quarter are slower
        # than the uniform draw (pace 1.5 is late on about 40% of its items, pace 0.8 almost never).
        self.pace = {unit.id: min(2.0, max(0.5, rng.lognormvariate(-0.2, 0.3))) for unit in units}
        self.calendar = WorkingCalendar()
        self._lost: dict[datetime.date, int] = {}  # day → weekdays off from the first year's 1 January
        self._first_year = 2000

    def days(self, drawn: int, *, unit_id: int, category: str, assigned_on: datetime.date) -> int:
        factor = self.pace[unit_id] * SLOW_CATEGORIES.get(category, 1)
        days = round(10 + (drawn - 10) * factor)
        return days + HOLIDAY_DELAY_PER_DAY * self.holiday_days(assigned_on, days)

    def holiday_days(self, start: datetime.date, days: int) -> int:
        """Weekdays off (public holidays) in the ``days`` after ``start`` (a running count per day, so
        each day of the calendar is asked once)."""
        return self._lost_until(start + datetime.timedelta(days=days)) - self._lost_until(start)

    def _lost_until(self, day: datetime.date) -> int:
        if day not in self._lost:
            year_start = datetime.date(day.year, 1, 1)
            lost = self._lost_until(year_start - datetime.timedelta(days=1)) if day.year > self._first_year else 0
            current = year_start
            while current.year == day.year:
                if current.weekday() < 5 and not self.calendar.is_working_day(current):
                    lost += 1
                self._lost[current] = lost
                current += datetime.timedelta(days=1)
        return self._lost[day]


class CitySuggestions(CityBase):
    def suggestions(self):
        total = fill(SUGGESTIONS, self.scale, 18)
        states = list(STATE_WEIGHTS)
        # Every state at least once, then drawn by weight.
        drawn = states + self.rng.choices(states, weights=list(STATE_WEIGHTS.values()), k=max(0, total - len(states)))
        rows = []
        pace = ReplyPace(scale=self.scale, tag=self.tag, units=self.unit_list)
        for state in drawn:
            deputy = self.rng.choice(self.deputy_list)
            created = self.moment(self.day())
            submitted = state not in (State.DRAFT,)
            assigned = state in (State.ASSIGNED, State.IN_PROGRESS, State.REPLIED, State.REHANDLING, State.CLOSED)
            replied = state in (State.REPLIED, State.REHANDLING, State.CLOSED)
            unit = self.rng.choice(self.unit_list)
            submitted_at = (
                min(created + datetime.timedelta(hours=self.rng.randint(1, 72)), timezone.now()) if submitted else None
            )
            submitted_day = timezone.localtime(submitted_at, self.tz).date() if submitted_at else None
            assigned_on = (
                min(submitted_day + datetime.timedelta(days=self.rng.randint(1, 7)), self.today) if assigned else None
            )
            reply_due = assigned_on + datetime.timedelta(days=90) if assigned else None
            row = Suggestion(
                lead_deputy=deputy,
                created_by=self.user_of_deputy.get(deputy.id),
                title=self.rng.choice(MATTERS)[:20] + "的建议",
                content=self.rng.choice(MATTERS) + "，建议有关部门尽快研究解决。",
                category=self.rng.choice(CATEGORIES),
                state=state,
                submitted_at=submitted_at,
                assign_counted_from=submitted_day,
                assign_due=submitted_day + datetime.timedelta(days=7) if submitted else None,
                lead_unit=unit if assigned else None,
                assigned_on=assigned_on,
                reply_due=reply_due,
                return_request_due=assigned_on + datetime.timedelta(days=9) if assigned else None,
                return_reason="不属于建议范围，请补充材料" if state == State.RETURNED else "",
                key_supervision=assigned and self.rng.random() < 0.03,
                created_at=created,
                updated_at=created,
            )
            if replied:
                days = pace.days(
                    self.rng.randint(10, 100), unit_id=unit.id, category=row.category, assigned_on=assigned_on
                )
                replied_on = min(assigned_on + datetime.timedelta(days=days), self.today)
                # A second reply only after a first one rated unsatisfied, on closed items.
                row.reply_round = 2 if state == State.CLOSED and self.rng.random() < 0.05 else 1
                row.first_replied_on = replied_on
                row.first_reply_on_time = replied_on <= reply_due
                row.reply_class = self.rng.choices(list(ReplyClass.values), weights=[50, 30, 15, 5])[0]
                row.contacted = self.rng.random() < 0.9
                row._replied_on = replied_on
            if state in (State.REHANDLING, State.CLOSED):
                row.first_rating = self.rng.choices(list(Rating.values), weights=[70, 22, 8])[0]
                if state == State.REHANDLING or row.reply_round == 2:
                    row.first_rating = Rating.UNSATISFIED
            if state == State.CLOSED:
                row.final_rating = row.first_rating if row.reply_round == 1 else Rating.BASICALLY_SATISFIED
                row.closed_at = self.moment(min(row._replied_on + datetime.timedelta(days=20), self.today))
            if state == State.WITHDRAWN:
                row.withdrawn_at = min(submitted_at + datetime.timedelta(days=1), timezone.now())
                row.withdraw_reason = "问题已解决"
            rows.append(row)
        fields = [Suggestion._meta.get_field("created_at"), Suggestion._meta.get_field("updated_at")]
        with stored_timestamps(*fields):
            suggestions = self.bulk(Suggestion, rows, "suggestions")
        self.log(f"suggestions: {len(suggestions)}")

        assignments, cosigns = [], []
        for s in suggestions:
            if s.lead_unit_id:
                assignments.append(
                    Assignment(
                        suggestion=s,
                        unit_id=s.lead_unit_id,
                        role=AssignmentRole.LEAD,
                        assigned_on=s.assigned_on,
                        assigned_by=self.office,
                    )
                )
                if self.rng.random() < 0.2:
                    co = self.rng.choice(self.unit_list)
                    if co.id != s.lead_unit_id:
                        assignments.append(
                            Assignment(
                                suggestion=s,
                                unit=co,
                                role=AssignmentRole.CO,
                                assigned_on=s.assigned_on,
                                assigned_by=self.office,
                                opinion_due=s.assigned_on + datetime.timedelta(days=30),
                            )
                        )
            if self.rng.random() < 0.3:
                other = self.rng.choice(self.deputy_list)
                if other.id != s.lead_deputy_id:
                    status = CoSignStatus.PENDING if s.state == State.DRAFT else CoSignStatus.CONFIRMED
                    cosigns.append(CoSignature(suggestion=s, deputy=other, status=status))
        self.bulk(Assignment, assignments, "assignments")
        self.bulk(CoSignature, cosigns, "co-signatures")

        replies = []
        for s in suggestions:
            if not s.reply_round:
                continue
            replied_on = s._replied_on
            for round_no in range(1, s.reply_round + 1):
                day = min(replied_on + datetime.timedelta(days=30 * (round_no - 1)), self.today)
                replies.append(
                    Reply(
                        suggestion=s,
                        round=round_no,
                        unit_id=s.lead_unit_id,
                        reply_class=s.reply_class,
                        content="经研究，答复如下：已安排落实。",
                        contacted=s.contacted,
                        replied_at=self.moment(day),
                        replied_on=day,
                        due_on=s.reply_due,
                    )
                )
        replies = self.bulk(Reply, replies, "replies")
        by_id = {s.id: s for s in suggestions}
        evaluations = []
        for reply in replies:
            s = by_id[reply.suggestion_id]
            if not s.first_rating:
                continue
            first = reply.round == 1
            final = s.state == State.CLOSED and reply.round == s.reply_round
            if not (first or final):
                continue
            evaluations.append(
                Evaluation(
                    suggestion=s,
                    reply=reply,
                    rating=s.first_rating if first else s.final_rating,
                    is_first=first,
                    is_final=final,
                    evaluated_by=self.user_of_deputy.get(s.lead_deputy_id),
                    evaluated_at=min(reply.replied_at + datetime.timedelta(days=10), timezone.now()),
                )
            )
        self.bulk(Evaluation, evaluations, "evaluations")
        # Escalated opinions become the source of a suggestion.
        submitted = [s for s in suggestions if s.submitted_at]
        through = Suggestion.source_opinions.through
        self.bulk(
            through,
            (through(suggestion_id=self.rng.choice(submitted).id, opinion_id=pk) for pk in self.escalated),
            "suggestion source opinions",
        )
