"""Incremental reminder sweeps: they read only what fell due or changed since their last run, and send
exactly what full sweeps would have sent, day after day, across New Year and the Spring Festival."""

import random
from datetime import date, timedelta

import pytest
from django.db import transaction

from notifications.models import Notification, ReminderSent, SweepMark
from notifications.reminders import run_sweep
from suggestions import reminders, services
from suggestions.models import Reply, State, Suggestion
from tests.builders.suggestions import drive

pytestmark = pytest.mark.django_db

RULES = [reminders.OVERDUE, reminders.ASSIGNMENT_PENDING, reminders.EVALUATION_PENDING]


class _Rollback(Exception):
    pass


def _sent_today(day: date, before: set[int]) -> set[tuple]:
    """The reminders sent since ``before`` (claim ids), named by what does not change between two runs of
    the same story: the suggestion's title instead of its id, the reply's round instead of its id."""
    titles = dict(Suggestion.objects.values_list("pk", "title"))
    rounds = dict(Reply.objects.values_list("pk", "round"))
    sent = set()
    for claim in ReminderSent.objects.exclude(pk__in=before):
        subject = claim.subject_key
        if subject.startswith("suggestion:"):
            subject = titles[int(subject.split(":")[1])]
        threshold = claim.threshold_key
        if ":evaluate_reply:" in threshold:
            head, reply_id = threshold.rsplit(":", 1)
            threshold = f"{head}:round {rounds[int(reply_id)]}"
        sent.add((day.isoformat(), claim.rule, claim.recipient_id, subject, threshold))
    return sent


def _story(world, frozen_today, seed: int) -> tuple[list[tuple], list[bool]]:
    """Ninety days from 2025-12-01 of suggestions submitted, returned and resubmitted, assigned, replied and
    evaluated at random, with the three rules swept every morning. Returns every reminder sent (in the
    story's own names) and, per sweep, whether it was incremental."""
    rng = random.Random(seed)
    frozen_today(date(2025, 8, 1))
    # Older suggestions that fall overdue during the story.
    for n in range(4):
        drive(world, rng.choice([State.ASSIGNED, State.IN_PROGRESS]), title=f"旧建议{n}")
    sent, modes = [], []
    created = 0
    for offset in range(90):
        day = date(2025, 12, 1) + timedelta(days=offset)
        frozen_today(day)
        for rule in RULES:
            before = set(ReminderSent.objects.values_list("pk", flat=True))
            result = run_sweep(rule)
            modes.append(result["incremental"])
            sent.extend(sorted(_sent_today(day, before)))
        # The day's work, after the morning's sweep.
        if rng.random() < 0.5:
            created += 1
            drive(world, State.SUBMITTED, title=f"建议{created}")
        if rng.random() < 0.15:
            # 补录: the office records a suggestion submitted weeks ago, already past its assignment
            # deadline: only "changed since" can bring it to an incremental sweep.
            created += 1
            services.suggestion_create(
                actor=world.office,
                lead_deputy=world.lead_deputy,
                title=f"建议{created}",
                content="补录的建议。",
                happened_on=day - timedelta(days=rng.randrange(10, 30)),
            )
        for suggestion in Suggestion.objects.order_by("pk"):
            roll = rng.random()
            if suggestion.state == State.SUBMITTED and roll < 0.1:
                services.suggestion_return(suggestion=suggestion, actor=world.office, reason="请补充材料")
            elif suggestion.state == State.SUBMITTED and roll < 0.2:
                services.suggestion_assign(suggestion=suggestion, actor=world.office, lead_unit=world.lead_unit)
            elif suggestion.state == State.RETURNED and roll < 0.3:
                services.suggestion_resubmit(suggestion=suggestion, actor=world.deputy)
            elif suggestion.state in (State.ASSIGNED, State.IN_PROGRESS, State.REHANDLING) and roll < 0.06:
                if suggestion.state == State.ASSIGNED:
                    suggestion = services.suggestion_acknowledge(suggestion=suggestion, actor=world.lead_officer)
                services.suggestion_reply(
                    suggestion=suggestion, actor=world.lead_officer, reply_class="B", content="已列入计划。"
                )
            elif suggestion.state == State.REPLIED and roll < 0.04:
                rating = rng.choice(["satisfied", "unsatisfied"]) if suggestion.reply_round == 1 else "satisfied"
                services.suggestion_evaluate(suggestion=suggestion, actor=world.deputy, rating=rating, comment="意见")
    return sent, modes


def _run_story(world, frozen_today, seed: int) -> tuple[list[tuple], list[bool]]:
    """The story inside a transaction rolled back at the end, so that it can be told again."""
    try:
        with transaction.atomic():
            result = _story(world, frozen_today, seed)
            raise _Rollback
    except _Rollback:
        pass
    return result


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_sweeps_send_what_full_sweeps_send(world, frozen_today, settings, seed):
    settings.REMINDERS = settings.REMINDERS | {"FULL_SWEEP_DAYS": 7}
    incremental, modes = _run_story(world, frozen_today, seed)
    settings.REMINDERS = settings.REMINDERS | {"FULL_SWEEP_DAYS": 1}
    full, full_modes = _run_story(world, frozen_today, seed)
    assert not any(full_modes)
    # Six of seven days incremental, every rule; the first day and every seventh full.
    assert sum(modes) >= len(modes) * 0.8
    assert incremental == full
    rules = {row[1] for row in full}
    assert rules == {rule.key for rule in RULES}, rules  # the story exercised every rule
    assert len(full) > 25


def test_a_suggestion_that_falls_due_between_full_sweeps_is_reminded_once(world, frozen_today):
    # Submitted on Friday 2024-09-27: five working days end on 10-10 (National Day holiday between).
    first = date(2024, 9, 22)
    frozen_today(first)
    assert run_sweep(reminders.ASSIGNMENT_PENDING)["incremental"] is False
    frozen_today(date(2024, 9, 27))
    suggestion = drive(world, State.SUBMITTED)
    assert suggestion.assign_due == date(2024, 10, 10)
    reminded_on = []
    for offset in range(1, 30):
        day = first + timedelta(days=offset)
        frozen_today(day)
        result = run_sweep(reminders.ASSIGNMENT_PENDING)
        assert result["incremental"] is (offset % 7 != 0), (day, result)
        if result["sent"]:
            reminded_on.append((day, result["incremental"]))
    # The day after the last day to assign, once, found by an incremental sweep (full ones: 9-29, 10-6, 10-13).
    assert reminded_on == [(date(2024, 10, 11), True)]


def test_an_evaluation_reminder_falls_due_across_new_year_in_an_incremental_sweep(world, frozen_today):
    frozen_today(date(2025, 11, 17))
    suggestion = drive(world, State.IN_PROGRESS)
    frozen_today(date(2025, 12, 1))
    services.suggestion_reply(suggestion=suggestion, actor=world.lead_officer, reply_class="B", content="已列入计划。")
    reminded_on = []
    for offset in range(0, 14):
        day = date(2025, 12, 26) + timedelta(days=offset)
        frozen_today(day)
        result = run_sweep(reminders.EVALUATION_PENDING)
        if result["sent"]:
            reminded_on.append((day, result["incremental"]))
    # 20 working days after Monday 12-01 end on Monday 12-29 (no holiday before 1 January), so the reminder
    # goes out on 12-30, read incrementally: the reply's wait ran out since the day before.
    assert reminders.last_reply_day_to_remind(date(2025, 12, 30), 20) >= date(2025, 12, 1)
    assert reminded_on == [(date(2025, 12, 30), True)]


def test_a_new_office_user_hears_of_a_pending_assignment_at_the_next_full_sweep(world, frozen_today, make_user):
    from core.roles import Role

    frozen_today(date(2024, 9, 27))
    drive(world, State.SUBMITTED)  # due to be assigned by 10-10
    frozen_today(date(2024, 10, 11))
    assert run_sweep(reminders.ASSIGNMENT_PENDING)["sent"] == 1  # full: no mark yet
    newcomer = make_user(Role.OFFICE, username="office_newcomer")
    days = {}
    for offset in range(1, 8):
        day = date(2024, 10, 11) + timedelta(days=offset)
        frozen_today(day)
        result = run_sweep(reminders.ASSIGNMENT_PENDING)
        days[day] = (result["incremental"], Notification.objects.filter(recipient=newcomer).count())
    # Incremental sweeps do not look at the old suggestion again; the weekly full sweep reaches the newcomer.
    assert days[date(2024, 10, 17)] == (True, 0)
    assert days[date(2024, 10, 18)] == (False, 1)


def test_the_clock_going_back_makes_a_full_sweep(world, frozen_today):
    frozen_today(date(2024, 10, 11))
    run_sweep(reminders.ASSIGNMENT_PENDING)
    frozen_today(date(2024, 10, 12))
    assert run_sweep(reminders.ASSIGNMENT_PENDING)["incremental"] is True
    frozen_today(date(2024, 10, 5))
    assert run_sweep(reminders.ASSIGNMENT_PENDING)["incremental"] is False
    assert SweepMark.objects.get(rule=reminders.ASSIGNMENT_PENDING.key).full_on == date(2024, 10, 5)
