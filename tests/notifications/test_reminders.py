"""The reminder sweep: each reminder at most once per recipient, subject and threshold."""

import threading
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from notifications.models import Notification, ReminderSent
from notifications.reminders import ReminderRule, iso_week, run_sweep
from tests.notifications.support import TEST_RULE

DAY = date(2024, 3, 4)


@pytest.fixture
def due_people(make_user):
    return [make_user(Role.OFFICE, username=f"due-{i}", email=f"due{i}@example.org") for i in range(3)]


@pytest.mark.django_db
def test_a_sweep_run_twice_sends_each_reminder_once(
    due_people, make_user, django_capture_on_commit_callbacks, frozen_today
):
    make_user(Role.OFFICE, username="not-due")
    frozen_today(DAY)
    with django_capture_on_commit_callbacks(execute=True):
        first = run_sweep(TEST_RULE)
    with django_capture_on_commit_callbacks(execute=True):
        second = run_sweep(TEST_RULE)
    assert (first["due"], first["sent"]) == (3, 3)
    assert (second["due"], second["sent"]) == (3, 0)
    assert Notification.objects.filter(verb="reminder.test_due_accounts").count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["due0@example.org", "due1@example.org", "due2@example.org"]
    sent = ReminderSent.objects.get(recipient=due_people[0])
    assert (sent.rule, sent.subject_key, sent.threshold_key) == (
        "test_due_accounts",
        f"account:{due_people[0].pk}",
        "test_due_accounts:2024-03-04",
    )
    # Every notification is tied to the claim that allowed it.
    assert Notification.objects.get(recipient=due_people[0]).reminder == sent


@pytest.mark.django_db
def test_a_new_threshold_sends_again(due_people, frozen_today):
    frozen_today(DAY)
    run_sweep(TEST_RULE)
    frozen_today(date(2024, 3, 5))
    assert run_sweep(TEST_RULE)["sent"] == 3
    assert ReminderSent.objects.count() == 6


@pytest.mark.django_db
def test_the_sweep_reads_todays_date_from_the_clock(due_people, frozen_today):
    frozen_today(DAY)
    result = run_sweep(TEST_RULE)
    assert result["today"] == "2024-03-04"
    assert ReminderSent.objects.filter(threshold_key__endswith="2024-03-04").count() == 3


@pytest.mark.django_db
def test_a_disabled_rule_sends_nothing(due_people, settings):
    settings.REMINDERS_DISABLED = {"test_due_accounts"}
    assert run_sweep(TEST_RULE) == {"rule": "test_due_accounts", "disabled": True}
    assert not ReminderSent.objects.exists()


@pytest.mark.django_db
def test_a_failing_sweep_leaves_no_claim_behind(due_people, frozen_today):
    frozen_today(DAY)

    def collect(*, today):
        yield from TEST_RULE.collect(today=today)
        raise RuntimeError("database went away half-way")

    broken = ReminderRule(key="test_due_accounts", collect=collect)
    with pytest.raises(RuntimeError):
        run_sweep(broken)
    assert not ReminderSent.objects.exists()
    # The redone sweep sends everything.
    assert run_sweep(TEST_RULE)["sent"] == 3


@pytest.mark.django_db
def test_reminders_are_written_in_the_site_language(due_people, frozen_today):
    from django.utils import translation
    from django.utils.translation import gettext

    def collect(*, today):
        for due in TEST_RULE.collect(today=today):
            yield type(due)(**{**due.__dict__, "title": gettext("Notifications")})

    with translation.override("zh-hans"):
        chinese = gettext("Notifications")
    assert chinese != "Notifications"
    frozen_today(DAY)
    with translation.override("en"):
        run_sweep(ReminderRule(key="lang", collect=collect))
    assert set(Notification.objects.values_list("title", flat=True)) == {chinese}


def test_iso_week_threshold():
    assert iso_week(date(2024, 1, 1)) == "2024-W01"
    assert iso_week(date(2024, 12, 30)) == "2025-W01"  # ISO weeks cross the calendar year
    assert iso_week(date(2024, 3, 10)) == iso_week(date(2024, 3, 4))  # Monday to Sunday
    assert iso_week(date(2024, 3, 11)) != iso_week(date(2024, 3, 10))


def _bulk_due_accounts(count: int, prefix: str) -> None:
    # Scale data for the query-count test: created in bulk, not through the service, because only the
    # number of due items matters here (a thousand password hashes would dominate the run).
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"due-{prefix}{i}", role=Role.OFFICE, email=f"{prefix}{i}@example.org") for i in range(count)]
    )


def _sweep_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        result = run_sweep(TEST_RULE)
    assert result["sent"] == result["due"]
    return len(queries)


@pytest.mark.django_db
def test_the_sweep_issues_the_same_number_of_queries_for_1_or_20_due_items(frozen_today):
    frozen_today(DAY)
    _bulk_due_accounts(1, "a")
    one = _sweep_queries()
    ReminderSent.objects.all().delete()
    _bulk_due_accounts(19, "b")
    twenty = _sweep_queries()
    # Sweep savepoint + rule query + earlier claims + claim INSERT + claim read-back + users with
    # preferences + notify's savepoint + notifications INSERT + deliveries INSERT + 2 releases.
    assert one == twenty == 11


@pytest.mark.django_db
def test_a_warm_sweep_reads_the_earlier_claims_and_inserts_nothing(frozen_today):
    frozen_today(DAY)
    _bulk_due_accounts(20, "a")
    assert run_sweep(TEST_RULE)["sent"] == 20
    _bulk_due_accounts(1, "b")  # one more due since
    with CaptureQueriesContext(connection) as queries:
        result = run_sweep(TEST_RULE)
    assert (result["due"], result["sent"]) == (21, 1)
    inserts = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"] and "_remindersent" in q["sql"]]
    assert len(inserts) == 1 and "), (" not in inserts[0], inserts  # one row: the new claim only
    with CaptureQueriesContext(connection) as queries:
        result = run_sweep(TEST_RULE)
    assert (result["due"], result["sent"]) == (21, 0)
    # Nothing new: savepoint, the rule's query, the earlier claims, release; no INSERT at all.
    assert not any("INSERT" in q["sql"] for q in queries.captured_queries), queries.captured_queries
    assert len(queries) == 4, [q["sql"][:80] for q in queries.captured_queries]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_sweep_issues_the_same_number_of_queries_for_10_or_1000_due_items(frozen_today):
    frozen_today(DAY)
    _bulk_due_accounts(10, "a")
    ten = _sweep_queries()
    ReminderSent.objects.all().delete()
    _bulk_due_accounts(990, "b")
    thousand = _sweep_queries()
    # PostgreSQL has no limit on parameters per statement, so each bulk INSERT is one statement.
    assert ten == thousand == 11


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(make_user, frozen_today):
    frozen_today(DAY)
    for i in range(30):
        make_user(Role.OFFICE, username=f"due-{i}")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait(timeout=10)
            results.append(run_sweep(TEST_RULE))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(result["due"] for result in results) == [30, 30]
    assert sum(result["sent"] for result in results) == 30
    assert ReminderSent.objects.count() == 30
    assert Notification.objects.count() == 30


@pytest.mark.django_db
def test_the_periodic_tasks_can_be_run_once_from_the_command_line(make_user):
    from io import StringIO

    from django.core.management import CommandError, call_command

    make_user(Role.OFFICE, username="due-cli")
    out = StringIO()
    call_command("run_periodic_tasks", "notifications.deliver_pending", "suggestions.remind_overdue", stdout=out)
    assert "notifications.deliver_pending: {" in out.getvalue()
    assert "suggestions.remind_overdue: {" in out.getvalue()
    from notifications.models import TaskRun

    assert set(TaskRun.objects.values_list("task_name", "status")) == {
        ("notifications.deliver_pending", "succeeded"),
        ("suggestions.remind_overdue", "succeeded"),
    }
    with pytest.raises(CommandError, match="Unknown task"):
        call_command("run_periodic_tasks", "no.such_task")
