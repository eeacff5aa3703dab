"""Reminder rules of the suggestion lifecycle, at their boundaries, with a frozen clock.

The services run on a frozen clock too (``frozen_today``), so every stored deadline is what the
services computed on that day, on the Chinese working-day calendar.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from notifications.models import Notification, ReminderSent, SweepMark
from notifications.reminders import run_sweep
from suggestions import reminders, services
from suggestions.models import State, Suggestion
from tests.builders.suggestions import drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_to(frozen_today):
    """``sent_to(rule, day)``: run the sweep on ``day`` (the clock moves there); the usernames that got a
    reminder from this run."""

    def sweep(rule, today: date) -> set[str]:
        frozen_today(today)
        before = set(Notification.objects.values_list("pk", flat=True))
        run_sweep(rule)
        return set(Notification.objects.exclude(pk__in=before).values_list("recipient__username", flat=True))

    return sweep


def assigned_on(world, frozen_today, day: date, **kwargs):
    frozen_today(day)
    return drive(world, State.ASSIGNED, **kwargs)


# --- reply due: lead-unit officers, 15, 7 and 1 days before ------------------------------------


def test_reply_due_reminders_at_15_7_and_1_days_before(world, frozen_today, make_user, sent_to):
    suggestion = assigned_on(world, frozen_today, date(2024, 3, 1))
    due = suggestion.reply_due
    assert due == date(2024, 6, 1)
    # A second officer of the lead unit is reminded too; an inactive one is not.
    second = make_user(Role.UNIT_OFFICER, unit=world.lead_unit, username="leadofficer2")
    gone = make_user(Role.UNIT_OFFICER, unit=world.lead_unit, username="leadofficer_gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    officers = {world.lead_officer.username, second.username}

    assert sent_to(reminders.REPLY_DUE, due - timedelta(days=16)) == set()  # the day before
    assert sent_to(reminders.REPLY_DUE, due - timedelta(days=15)) == officers  # the day of
    assert sent_to(reminders.REPLY_DUE, due - timedelta(days=14)) == set()  # the day after
    assert sent_to(reminders.REPLY_DUE, due - timedelta(days=8)) == set()
    assert sent_to(reminders.REPLY_DUE, due - timedelta(days=7)) == officers
    assert sent_to(reminders.REPLY_DUE, due - timedelta(days=6)) == set()
    assert sent_to(reminders.REPLY_DUE, due - timedelta(days=2)) == set()
    assert sent_to(reminders.REPLY_DUE, due - timedelta(days=1)) == officers
    assert sent_to(reminders.REPLY_DUE, due) == set()
    notification = Notification.objects.filter(recipient=world.lead_officer).latest("pk")
    assert notification.url == f"/suggestions/{suggestion.pk}/"
    assert notification.title.startswith("答复期限")


def test_a_day_without_a_sweep_is_caught_up_the_next_day(world, frozen_today, sent_to):
    suggestion = assigned_on(world, frozen_today, date(2024, 3, 1))
    # Nothing ran 15 days before; the next day's sweep sends the 15-day reminder, once.
    assert sent_to(reminders.REPLY_DUE, suggestion.reply_due - timedelta(days=14)) == {world.lead_officer.username}
    assert sent_to(reminders.REPLY_DUE, suggestion.reply_due - timedelta(days=13)) == set()


def test_no_reply_due_reminder_once_replied(world, frozen_today, sent_to):
    frozen_today(date(2024, 3, 1))
    suggestion = drive(world, State.REPLIED)
    assert sent_to(reminders.REPLY_DUE, date(2024, 6, 1) - timedelta(days=7)) == set()
    assert suggestion.state == State.REPLIED


def test_a_new_deadline_after_rehandling_is_reminded_afresh(world, frozen_today, sent_to):
    frozen_today(date(2024, 3, 1))
    suggestion = drive(world, State.REHANDLING)
    assert suggestion.reply_due == date(2024, 4, 1)  # one month after the 不满意 evaluation
    assert sent_to(reminders.REPLY_DUE, date(2024, 3, 31)) == {world.lead_officer.username}
    assert ReminderSent.objects.get().threshold_key == "suggestion_reply_due:2024-04-01:1d"


# --- co-unit opinion due: co-unit officers ---------------------------------------------------------


def test_co_unit_opinion_reminders_until_the_opinion_is_given(world, frozen_today, sent_to):
    suggestion = assigned_on(world, frozen_today, date(2024, 3, 1))
    opinion_due = suggestion.assignments.get(unit=world.co_unit).opinion_due
    assert opinion_due == date(2024, 4, 1)
    co = {world.co_officer.username}
    assert sent_to(reminders.CO_OPINION_DUE, opinion_due - timedelta(days=8)) == set()
    assert sent_to(reminders.CO_OPINION_DUE, opinion_due - timedelta(days=7)) == co
    assert sent_to(reminders.CO_OPINION_DUE, opinion_due - timedelta(days=6)) == set()
    services.suggestion_co_unit_opinion(suggestion=suggestion, actor=world.co_officer, content="同意主办单位意见。")
    assert sent_to(reminders.CO_OPINION_DUE, opinion_due - timedelta(days=1)) == set()


def test_a_co_unit_without_an_opinion_gets_the_last_reminder(world, frozen_today, sent_to):
    suggestion = assigned_on(world, frozen_today, date(2024, 3, 1))
    opinion_due = suggestion.assignments.get(unit=world.co_unit).opinion_due
    assert sent_to(reminders.CO_OPINION_DUE, opinion_due - timedelta(days=2)) == {world.co_officer.username}
    assert sent_to(reminders.CO_OPINION_DUE, opinion_due - timedelta(days=1)) == {world.co_officer.username}
    assert sent_to(reminders.CO_OPINION_DUE, opinion_due) == set()
    assert sent_to(reminders.CO_OPINION_DUE, opinion_due + timedelta(days=1)) == set()


# --- overdue: unit, office, flagging leader; weekly ---------------------------------------------------


def test_overdue_goes_to_unit_office_and_flagging_leader_once_a_week(world, frozen_today, make_user, sent_to):
    suggestion = assigned_on(world, frozen_today, date(2024, 3, 13))
    assert suggestion.reply_due == date(2024, 6, 13)  # a Thursday in ISO week 24
    services.suggestion_supervise(suggestion=suggestion, actor=world.leader, note="重点督办", key_supervision=True)
    other_leader = make_user(Role.LEADER, username="leader_other")
    expected = {world.lead_officer.username, world.office.username, world.leader.username}

    assert sent_to(reminders.OVERDUE, date(2024, 6, 13)) == set()  # due today: not overdue
    assert sent_to(reminders.OVERDUE, date(2024, 6, 14)) == expected  # first day overdue
    assert sent_to(reminders.OVERDUE, date(2024, 6, 15)) == set()  # same ISO week
    assert sent_to(reminders.OVERDUE, date(2024, 6, 16)) == set()  # Sunday, still week 24
    assert sent_to(reminders.OVERDUE, date(2024, 6, 17)) == expected  # Monday, week 25
    assert other_leader.username not in expected
    # Co-unit officers heard about the assignment itself, but get no overdue reminder.
    assert Notification.objects.filter(recipient=world.co_officer, verb__startswith="reminder.").count() == 0


def test_overdue_is_weekly_across_the_year_end_of_a_year_no_calendar_knows(world, frozen_today, sent_to):
    """2027's holidays are not in the calendar: the deadline is counted provisionally, and the weekly
    repeat follows ISO weeks across 28 December and New Year (the rule skips this week's claims in SQL)."""
    suggestion = assigned_on(world, frozen_today, date(2027, 9, 27))
    assert suggestion.reply_due == date(2027, 12, 27)
    expected = {world.lead_officer.username, world.office.username}
    assert sent_to(reminders.OVERDUE, date(2027, 12, 27)) == set()  # due today
    assert sent_to(reminders.OVERDUE, date(2027, 12, 28)) == expected  # ISO week 2027-W52
    assert sent_to(reminders.OVERDUE, date(2027, 12, 28)) == set()  # the same day again
    assert sent_to(reminders.OVERDUE, date(2027, 12, 31)) == set()  # still week 52
    assert sent_to(reminders.OVERDUE, date(2028, 1, 2)) == set()  # Sunday: still 2027-W52
    assert sent_to(reminders.OVERDUE, date(2028, 1, 3)) == expected  # 2028-W01


def test_overdue_without_key_supervision_skips_leaders_and_stops_once_replied(world, frozen_today, sent_to):
    suggestion = assigned_on(world, frozen_today, date(2024, 3, 13))
    assert sent_to(reminders.OVERDUE, date(2024, 6, 14)) == {world.lead_officer.username, world.office.username}
    frozen_today(date(2024, 6, 18))
    services.suggestion_acknowledge(suggestion=suggestion, actor=world.lead_officer)
    services.suggestion_reply(suggestion=suggestion, actor=world.lead_officer, reply_class="A", content="已解决。")
    assert sent_to(reminders.OVERDUE, date(2024, 6, 24)) == set()


# --- assignment pending: the office, 5 working days after submission ---------------------------------


def test_assignment_reminder_counts_working_days_across_national_day(world, frozen_today, sent_to):
    frozen_today(date(2024, 9, 27))  # Friday before the National Day holiday
    suggestion = drive(world, State.SUBMITTED)
    # Working days: 9-29 (Sunday, make-up workday), 9-30, then 10-8, 10-9, 10-10.
    assert suggestion.assign_due == date(2024, 10, 10)
    office = {world.office.username}
    # Five weekdays would have ended on 10-4; the holiday does not count.
    assert sent_to(reminders.ASSIGNMENT_PENDING, date(2024, 10, 5)) == set()
    assert sent_to(reminders.ASSIGNMENT_PENDING, date(2024, 10, 10)) == set()  # the last day to assign
    assert sent_to(reminders.ASSIGNMENT_PENDING, date(2024, 10, 11)) == office  # the day after it
    assert sent_to(reminders.ASSIGNMENT_PENDING, date(2024, 10, 12)) == set()  # once


def test_no_assignment_reminder_once_assigned(world, frozen_today, sent_to):
    frozen_today(date(2024, 9, 27))
    suggestion = drive(world, State.SUBMITTED)
    frozen_today(date(2024, 10, 8))
    services.suggestion_assign(suggestion=suggestion, actor=world.office, lead_unit=world.lead_unit)
    assert sent_to(reminders.ASSIGNMENT_PENDING, date(2024, 10, 11)) == set()


# --- evaluation pending: the deputy, 20 working days after a reply ----------------------------------------


def replied_on(world, frozen_today, day: date):
    frozen_today(day - timedelta(days=14))
    suggestion = drive(world, State.IN_PROGRESS)
    frozen_today(day)
    services.suggestion_reply(suggestion=suggestion, actor=world.lead_officer, reply_class="B", content="已列入计划。")
    suggestion.refresh_from_db()
    return suggestion


def test_evaluation_reminder_after_20_working_days_across_national_day(world, frozen_today, sent_to):
    suggestion = replied_on(world, frozen_today, date(2024, 9, 20))
    deputy = {world.deputy.username}
    # The 20th working day after 9-20 is 10-23 (9-29 and 10-12 are make-up workdays, 10-1..10-7 off).
    # On 10-24 replies up to Sunday 9-22 are due (a weekend reply waits from the same working days).
    assert reminders.last_reply_day_to_remind(date(2024, 10, 24), 20) == date(2024, 9, 22)
    assert reminders.last_reply_day_to_remind(date(2024, 10, 23), 20) == date(2024, 9, 19)
    assert sent_to(reminders.EVALUATION_PENDING, date(2024, 10, 21)) == set()  # 20 weekdays: not yet
    assert sent_to(reminders.EVALUATION_PENDING, date(2024, 10, 23)) == set()  # the 20th working day
    assert sent_to(reminders.EVALUATION_PENDING, date(2024, 10, 24)) == deputy  # the day after it
    assert sent_to(reminders.EVALUATION_PENDING, date(2024, 10, 25)) == set()  # once per reply
    reminder = Notification.objects.get(recipient=world.deputy, verb="reminder.suggestion_evaluation_pending")
    assert reminder.url == f"/suggestions/{suggestion.pk}/"


def test_no_evaluation_reminder_once_evaluated(world, frozen_today, sent_to):
    suggestion = replied_on(world, frozen_today, date(2024, 9, 20))
    services.suggestion_evaluate(suggestion=suggestion, actor=world.deputy, rating="satisfied")
    assert sent_to(reminders.EVALUATION_PENDING, date(2024, 10, 24)) == set()


def test_the_second_reply_is_reminded_separately(world, frozen_today, sent_to):
    suggestion = replied_on(world, frozen_today, date(2024, 3, 1))
    frozen_today(date(2024, 3, 4))
    services.suggestion_evaluate(suggestion=suggestion, actor=world.deputy, rating="unsatisfied", comment="不具体")
    frozen_today(date(2024, 3, 20))
    services.suggestion_reply(suggestion=suggestion, actor=world.lead_officer, reply_class="A", content="已解决。")
    assert sent_to(reminders.EVALUATION_PENDING, date(2024, 4, 30)) == {world.deputy.username}
    assert ReminderSent.objects.get().threshold_key.startswith("suggestion_evaluation_pending:evaluate_reply:")


# --- the sweeps' queries ---------------------------------------------------------------------------------


RULES = [
    reminders.REPLY_DUE,
    reminders.CO_OPINION_DUE,
    reminders.OVERDUE,
    reminders.ASSIGNMENT_PENDING,
    reminders.EVALUATION_PENDING,
]


@pytest.mark.parametrize(
    ("rule", "incremental"),
    [(rule, False) for rule in RULES] + [(rule, True) for rule in RULES if rule.incremental],
    ids=lambda value: value.key if hasattr(value, "key") else ("incremental" if value else "full"),
)
def test_each_sweep_issues_the_same_number_of_queries_for_1_or_3_due_items(
    rule, incremental, world, frozen_today, make_user
):
    """Due items created through the services; the query count must not grow with them."""
    states = {
        "suggestion_assignment_pending": State.SUBMITTED,
        "suggestion_evaluation_pending": State.REPLIED,
    }
    state = states.get(rule.key, State.ASSIGNED)
    day = date(2024, 3, 1)
    today = {
        "suggestion_reply_due": date(2024, 6, 1) - timedelta(days=7),
        "suggestion_co_opinion_due": date(2024, 4, 1) - timedelta(days=7),
        "suggestion_overdue": date(2024, 6, 5),
        "suggestion_assignment_pending": date(2024, 3, 20),
        "suggestion_evaluation_pending": date(2024, 5, 6),
    }[rule.key]
    counts = []
    for batch in (1, 2):
        for i in range(batch):
            frozen_today(day)
            drive(world, state, title=f"建议{batch}-{i}")
        ReminderSent.objects.all().delete()
        Notification.objects.all().delete()
        SweepMark.objects.all().delete()
        if incremental:
            # The rule swept the day before; its reminders about the suggestions are forgotten and the
            # suggestions changed since, so today's incremental sweep finds them again (the office digest
            # of the same week stays sent).
            frozen_today(today - timedelta(days=1))
            run_sweep(rule)
            ReminderSent.objects.filter(subject_key__startswith="suggestion:").delete()
            Notification.objects.all().delete()
            frozen_today(today)
            Suggestion.objects.update(updated_at=timezone.now())
        frozen_today(today)
        with CaptureQueriesContext(connection) as queries:
            result = run_sweep(rule)
        assert result["sent"] >= batch
        assert result.get("incremental", False) == incremental
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_office_gets_one_overdue_digest_a_week_counting_by_lead_unit(world, frozen_today, sent_to):
    first = assigned_on(world, frozen_today, date(2024, 3, 13))
    assigned_on(world, frozen_today, date(2024, 3, 13))
    moved = assigned_on(world, frozen_today, date(2024, 3, 13))
    Suggestion.objects.filter(pk=moved.pk).update(lead_unit=world.other_unit)
    services.suggestion_supervise(suggestion=first, actor=world.leader, note="重点督办", key_supervision=True)
    before = set(Notification.objects.values_list("pk", flat=True))

    sent = sent_to(reminders.OVERDUE, date(2024, 6, 14))
    new = Notification.objects.exclude(pk__in=before)
    assert sent == {
        world.office.username,
        world.leader.username,
        world.lead_officer.username,
        world.other_officer.username,
    }
    # Units keep a notice per suggestion; the office and the flagging leader get one digest each.
    assert new.filter(recipient=world.lead_officer).count() == 2
    assert new.filter(recipient=world.other_officer).count() == 1
    [digest] = new.filter(recipient=world.office)
    assert digest.title == "3 件建议已逾期未答复"
    assert digest.body == f"按主办单位：{world.lead_unit.name} 2、{world.other_unit.name} 1。"
    assert digest.url == reverse("suggestions:overdue")
    [flagged] = new.filter(recipient=world.leader)
    assert flagged.title == "您重点督办的建议中有 1 件已逾期未答复"
    assert sent_to(reminders.OVERDUE, date(2024, 6, 15)) == set()  # once a week


def test_the_overdue_digest_repeats_by_iso_week_across_the_new_year(world, frozen_today, sent_to):
    """28 Dec 2026 and New Year's Day 2027 fall in the same ISO week (2026-W53): one digest for both;
    the Monday after (4 Jan 2027, week 2027-W01) brings the next one."""
    suggestion = assigned_on(world, frozen_today, date(2026, 6, 10))
    assert suggestion.reply_due < date(2026, 12, 28)

    assert world.office.username in sent_to(reminders.OVERDUE, date(2026, 12, 28))
    assert sent_to(reminders.OVERDUE, date(2027, 1, 1)) == set()
    assert sent_to(reminders.OVERDUE, date(2027, 1, 4)) == {world.office.username, world.lead_officer.username}
    assert ReminderSent.objects.filter(threshold_key__endswith="overdue:2027-W01").count() == 2
