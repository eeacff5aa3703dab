"""On a generated city (``seed_city``): the sweeps read their items and their earlier claims on indexes,
and a warm sweep (everything due already sent) inserts nothing."""

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core import clock
from duties.models import GridAssignment, GridDuty, GridDutyKind
from liaison import reminders as liaison_reminders
from notifications.models import ReminderSent, SweepMark
from notifications.reminders import run_sweep
from suggestions import reminders
from tests.liaison.test_list_plans import top_nodes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def city(settings):
    settings.DEBUG = True
    call_command("seed_city", "--scale", "0.01", verbosity=0)
    # Years of "四个一" duties (the generator records none; 400 a deputy, as in a city after a few years):
    # what the grid-duty rule probes per deputy.
    deputies = list(GridAssignment.objects.filter(end_date__isnull=True).values_list("deputy_id", "grid_id"))
    rng = random.Random(7)
    today = clock.today()
    office = User.objects.get(username="city_office")
    GridDuty.objects.bulk_create(
        [
            GridDuty(
                deputy_id=deputy_id,
                grid_id=grid_id,
                kind=rng.choice(GridDutyKind.values),
                date=today - timedelta(days=rng.randrange(1, 5 * 365)),
                recorded_by=office,
            )
            for _ in range(400)
            for deputy_id, grid_id in deputies
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def statements(rule) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        list(rule.collect(today=clock.today()))
    return [q["sql"] for q in queries.captured_queries]


def test_the_evaluation_and_grid_duty_rules_read_through_indexes(city, frozen_today):
    # The evaluation rule walks the suggestions waiting for an evaluation, not every reply.
    sql = next(s for s in statements(reminders.EVALUATION_PENDING) if "suggestions_evaluation" in s)
    plan = explain(sql)
    assert "Index" in top_nodes(plan) and "Seq Scan on suggestions_suggestion" not in plan, plan
    assert "Seq Scan on suggestions_reply" not in plan and "Seq Scan on suggestions_evaluation" not in plan, plan
    assert "Hash" not in plan, plan

    # The grid-duty rule probes the duty index once per deputy.
    frozen_today(clock.today().replace(month=12, day=28))  # every kind of duty is near its period's end
    sql = next(s for s in statements(liaison_reminders.GRID_DUTY_MISSING) if "duties_gridduty" in s)
    plan = explain(sql)
    assert "Seq Scan on duties_gridduty" not in plan, plan
    assert plan.count("Scan using duties_grid_deputy_") >= 4, plan  # one per kind of duty
    # No DISTINCT over every assignment with the duty checks in its group key.
    assert "HashAggregate" not in plan and "Unique" not in plan, plan


def test_a_warm_overdue_sweep_reads_its_claims_on_the_index_and_inserts_nothing(city):
    cold = run_sweep(reminders.OVERDUE)
    assert cold["sent"] == cold["due"] > 100
    # A year of earlier weekly claims of the rule, as the table holds after a year of sweeps.
    claims = list(ReminderSent.objects.filter(rule=reminders.OVERDUE.key))
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(
                recipient_id=claim.recipient_id,
                rule=claim.rule,
                subject_key=claim.subject_key,
                threshold_key=f"{claim.threshold_key}-earlier-{week}",
                sweep_token=claim.sweep_token,
            )
            for week in range(52)
            for claim in claims
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_remindersent")
    with CaptureQueriesContext(connection) as queries:
        warm = run_sweep(reminders.OVERDUE)
    # Incremental: nothing fell overdue or changed since the cold sweep, and this week's digest went out.
    assert warm["incremental"] and (warm["due"], warm["sent"]) == (0, 0), warm
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in sqls if sql.lstrip().upper().startswith("INSERT") and "sweepmark" not in sql], sqls
    digest_check = next(sql for sql in sqls if "notifications_remindersent" in sql)
    assert "reminder_rule_threshold_idx" in explain(digest_check), explain(digest_check)
    for sql in sqls:
        if sql.lstrip().upper().startswith("SELECT") and "suggestions_suggestion" in sql:
            plan = explain(sql)
            assert "Seq Scan on suggestions_suggestion" not in plan, plan

    # A full sweep (the weekly one, or one without a mark) skips the claimed suggestions in SQL: only the
    # digests are candidates again, and it reads the claims on the index.
    SweepMark.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        full = run_sweep(reminders.OVERDUE)
    digests = (
        ReminderSent.objects.filter(rule=reminders.OVERDUE.key)
        .exclude(threshold_key__contains="-earlier-")
        .exclude(subject_key__startswith="suggestion:")
    )
    assert not full["incremental"] and (full["due"], full["sent"]) == (digests.count(), 0) and 0 < full["due"]
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in sqls if sql.lstrip().upper().startswith("INSERT") and "sweepmark" not in sql], sqls
    lookup = next(sql for sql in sqls if "notifications_remindersent" in sql and "suggestions_suggestion" not in sql)
    plan = explain(lookup)
    assert "reminder_rule_threshold_idx" in plan and "Seq Scan" not in plan, plan
    assert ReminderSent.objects.filter(rule=reminders.OVERDUE.key).count() == cold["sent"] * 53
