"""On PostgreSQL: each sweep's due-items query uses its index, and query counts do not grow with the load.

Scale data is copied in bulk from rows created through the services: what matters here is the number
and spread of rows, and a thousand lifecycles through the services would dominate the run.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison import reminders as liaison_reminders
from liaison.models import ReceptionDay, ReceptionDayOrigin
from liaison.services import reception
from livelihood import reminders as livelihood_reminders
from livelihood.models import Milestone
from livelihood.services.projects import milestone_add
from notifications.models import Notification, ReminderSent
from notifications.reminders import run_sweep
from suggestions import reminders
from suggestions.models import Assignment, State, Suggestion
from tests.builders.streets import build_world
from tests.builders.suggestions import drive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = date(2024, 5, 25)


def clone_suggestions(template: Suggestion, count: int, **fields) -> list[Suggestion]:
    template = Suggestion.objects.get(pk=template.pk)
    rows = []
    for i in range(count):
        copy = Suggestion(**{f.attname: getattr(template, f.attname) for f in Suggestion._meta.concrete_fields})
        copy.pk = None
        copy.title = f"{template.title} {i}"
        for name, value in fields.items():
            setattr(copy, name, value(i) if callable(value) else value)
        rows.append(copy)
    return Suggestion.objects.bulk_create(rows)


def due_items_plan(rule, today) -> str:
    """EXPLAIN of the first query the rule runs on its items (the working-day calendar's lookup aside)."""
    with CaptureQueriesContext(connection) as queries:
        list(rule.collect(today=today))
    sql = next(q["sql"] for q in queries.captured_queries if "suggestions_calendar" not in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def busy_street(make_user, frozen_today):
    """A street with years of history: thousands of closed suggestions, past reception days, done milestones."""
    frozen_today(date(2024, 3, 1))
    world = build_world(make_user)
    assigned = drive(world, State.ASSIGNED, title="在办建议")
    closed = drive(world, State.CLOSED, title="已办结建议")
    drive(world, State.SUBMITTED, title="待交办建议")
    drive(world, State.REPLIED, title="待评价建议")
    # History: closed suggestions with deadlines spread over five years, each with its old assignments.
    history = clone_suggestions(closed, 4000, reply_due=lambda i: date(2019, 1, 1) + timedelta(days=i % 1800))
    template = Assignment.objects.filter(suggestion=assigned).first()
    Assignment.objects.bulk_create(
        [
            Assignment(
                suggestion=s,
                unit_id=template.unit_id,
                role="co",
                active=False,
                assigned_on=s.reply_due - timedelta(days=90),
                opinion_due=s.reply_due - timedelta(days=60),
            )
            for s in history
        ]
    )
    # Reception days: one a day for eight years at one station.
    ReceptionDay.objects.bulk_create(
        [
            ReceptionDay(
                station=world.station_a, date=date(2018, 1, 1) + timedelta(days=i), origin=ReceptionDayOrigin.ONE_OFF
            )
            for i in range(3000)
        ]
    )
    return world


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# Any (state, date…) index serves an equality on state; the planner picks by its statistics (the home
# workload's ``sugg_workload`` is one: state, reply_due, assign_due, of the submitted suggestions).
STATE_INDEXES = ("sugg_state_reply_due", "sugg_state_assign_due", "sugg_workload")


@pytest.mark.parametrize(
    ("rule", "indexes"),
    [
        (reminders.REPLY_DUE, ("sugg_state_reply_due", "sugg_workload")),
        (reminders.OVERDUE, STATE_INDEXES),
        (reminders.ASSIGNMENT_PENDING, STATE_INDEXES),
        (reminders.EVALUATION_PENDING, STATE_INDEXES),
        (reminders.CO_OPINION_DUE, ("assignment_opinion_due",)),
    ],
    ids=lambda value: getattr(value, "key", "index"),
)
def test_suggestion_sweeps_read_due_items_through_their_index(busy_street, rule, indexes):
    analyze()
    plan = due_items_plan(rule, TODAY)
    assert any(index in plan for index in indexes), plan
    assert "Seq Scan on suggestions_suggestion" not in plan, plan
    assert "Seq Scan on suggestions_assignment" not in plan, plan


def test_the_reception_sweep_reads_days_through_the_date_index(busy_street):
    day = reception.reception_day_add(
        station=busy_street.station_b, date=TODAY + timedelta(days=1), actor=busy_street.admin
    )
    reception.roster_set(day=day, actor=busy_street.admin, deputies=[busy_street.other_deputy_record])
    analyze()
    plan = due_items_plan(liaison_reminders.RECEPTION_TOMORROW, TODAY)
    date_index = next(i.name for i in ReceptionDay._meta.indexes if i.fields == ["date"])
    assert date_index in plan, plan
    assert "Seq Scan on liaison_receptionday" not in plan, plan


def test_the_milestone_sweep_reads_open_milestones_through_the_partial_index(make_user):
    from tests.builders.streets import livelihood_street

    street = livelihood_street(make_user)
    _cycle, projects = street.implementing()
    milestone_add(project=projects[0], title="开工", due_date=date(2024, 5, 1), actor=street.office)
    # Years of completed milestones, outside the partial index.
    Milestone.objects.bulk_create(
        [
            Milestone(project=projects[i % 2], title=f"节点{i}", due_date=date(2020, 1, 1) + timedelta(days=i % 1500),
                      completed_on=date(2020, 1, 1) + timedelta(days=i % 1500))
            for i in range(4000)
        ]
    )  # fmt: skip
    analyze()
    plan = due_items_plan(livelihood_reminders.OVERDUE_MILESTONES, TODAY)
    assert "milestone_open_due_idx" in plan, plan


def test_the_reply_due_sweep_issues_the_same_queries_for_10_or_1000_due_suggestions(make_user, frozen_today):
    frozen_today(date(2024, 3, 1))
    world = build_world(make_user)
    template = drive(world, State.ASSIGNED)
    today = template.reply_due - timedelta(days=7)
    counts = []
    for total in (10, 1000):
        Suggestion.objects.exclude(pk=template.pk).delete()
        ReminderSent.objects.all().delete()
        Notification.objects.all().delete()
        clone_suggestions(template, total - 1)
        frozen_today(today)
        with CaptureQueriesContext(connection) as queries:
            result = run_sweep(reminders.REPLY_DUE)
        assert result["sent"] == total  # one lead-unit officer per suggestion
        counts.append(len(queries))
    # Savepoint, due suggestions, lead-unit officers, claim INSERT, claim read-back, recipients with
    # preferences, savepoint, notifications INSERT, deliveries INSERT... (none: no email), 2 releases.
    assert counts[0] == counts[1], counts
