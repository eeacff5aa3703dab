"""Reminder rules of the station calendar, at their boundaries, with a frozen clock."""

from datetime import date

import pytest

from duties.services import grid_duties as duty_services
from liaison import reminders
from liaison.services import reception, rules
from notifications.models import Notification
from notifications.reminders import run_sweep
from tests.liaison.reception_support import street  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_to(frozen_today):
    """``sent_to(rule, day)``: run the sweep on ``day`` (the clock moves there); who got a reminder from it."""

    def sweep(rule, today: date) -> set[str]:
        frozen_today(today)
        before = set(Notification.objects.values_list("pk", flat=True))
        run_sweep(rule)
        return set(Notification.objects.exclude(pk__in=before).values_list("recipient__username", flat=True))

    return sweep


# --- tomorrow's reception day: the rostered deputies -------------------------------------------------


def test_rostered_deputies_are_reminded_the_day_before(street, sent_to):  # noqa: F811
    day = reception.reception_day_add(station=street.a, date=date(2024, 3, 15), actor=street.staff_a)
    # One deputy by name, and a group whose member is the colleague.
    reception.roster_set(day=day, actor=street.staff_a, deputies=[street.owner], groups=[street.group_a])
    rostered = {street.owner_user.username, street.colleague_user.username}
    assert sent_to(reminders.RECEPTION_TOMORROW, date(2024, 3, 13)) == set()  # two days before
    assert sent_to(reminders.RECEPTION_TOMORROW, date(2024, 3, 14)) == rostered  # the day before
    assert sent_to(reminders.RECEPTION_TOMORROW, date(2024, 3, 14)) == set()  # a second sweep
    assert sent_to(reminders.RECEPTION_TOMORROW, date(2024, 3, 15)) == set()  # the day itself
    notification = Notification.objects.get(recipient=street.owner_user)
    assert notification.url == f"/stations/reception/days/{day.pk}/"
    assert "2024-03-15" in notification.title and street.a.name in notification.title


def test_a_deputy_rostered_twice_on_one_day_gets_one_reminder(street, sent_to):  # noqa: F811
    day = reception.reception_day_add(station=street.a, date=date(2024, 3, 15), actor=street.staff_a)
    reception.roster_set(day=day, actor=street.staff_a, deputies=[street.colleague], groups=[street.group_a])
    assert sent_to(reminders.RECEPTION_TOMORROW, date(2024, 3, 14)) == {street.colleague_user.username}
    assert Notification.objects.count() == 1


def test_a_cancelled_reception_day_is_not_reminded(street, sent_to):  # noqa: F811
    day = reception.reception_day_add(station=street.a, date=date(2024, 3, 15), actor=street.staff_a)
    reception.roster_set(day=day, actor=street.staff_a, deputies=[street.owner])
    reception.reception_day_cancel(day=day, reason="场地维修", actor=street.staff_a)
    assert sent_to(reminders.RECEPTION_TOMORROW, date(2024, 3, 14)) == set()


def test_days_generated_by_a_rule_are_reminded_too(street, frozen_today, sent_to):  # noqa: F811
    frozen_today(date(2024, 3, 1))
    rule = rules.reception_rule_create(
        station=street.b, kind="monthly", day_of_month=15, valid_from=date(2024, 3, 1), actor=street.staff_b
    )
    april = rule.days.get(date=date(2024, 4, 15))
    reception.roster_set(day=april, actor=street.staff_b, deputies=[street.outsider])
    assert sent_to(reminders.RECEPTION_TOMORROW, date(2024, 3, 14)) == set()  # nobody rostered in March
    assert sent_to(reminders.RECEPTION_TOMORROW, date(2024, 4, 14)) == {street.outsider_user.username}


# --- "四个一" duties near the end of their period: the deputy ------------------------------------------


def test_missing_monthly_duties_are_reminded_a_week_before_the_month_ends(street, frozen_today, sent_to):  # noqa: F811
    frozen_today(date(2024, 3, 20))
    duty_services.grid_duty_record(
        deputy=street.owner, grid=street.grid_a1, kind="patrol", date=date(2024, 3, 10), actor=street.owner_user
    )
    everyone = {street.owner_user.username, street.colleague_user.username, street.outsider_user.username}
    # The quarter's research visit is reminded from 15 days before the quarter ends (3-17)...
    assert sent_to(reminders.GRID_DUTY_MISSING, date(2024, 3, 16)) == set()
    assert sent_to(reminders.GRID_DUTY_MISSING, date(2024, 3, 17)) == everyone
    assert set(Notification.objects.values_list("title", flat=True)) == {"请在 2024-03-31 前完成：调研"}
    # ... the month's patrol and meeting from 7 days before the month ends (3-25).
    assert sent_to(reminders.GRID_DUTY_MISSING, date(2024, 3, 24)) == set()  # the day before
    assert sent_to(reminders.GRID_DUTY_MISSING, date(2024, 3, 25)) == everyone  # the day of
    assert sent_to(reminders.GRID_DUTY_MISSING, date(2024, 3, 26)) == set()  # the day after
    owner_kinds = {
        key.rsplit(":", 1)[1]
        for key in Notification.objects.filter(recipient=street.owner_user).values_list(
            "reminder__subject_key", flat=True
        )
    }
    # The owner patrolled in March: only the meeting (and the quarter's research) are missing.
    assert owner_kinds == {"research", "grid_meeting"}
    colleague_kinds = {
        key.rsplit(":", 1)[1]
        for key in Notification.objects.filter(recipient=street.colleague_user).values_list(
            "reminder__subject_key", flat=True
        )
    }
    assert colleague_kinds == {"research", "grid_meeting", "patrol"}
    # A new month is a new period.
    assert street.owner_user.username in sent_to(reminders.GRID_DUTY_MISSING, date(2024, 4, 24))


def test_no_duty_reminder_early_in_the_period(street, sent_to):  # noqa: F811
    assert sent_to(reminders.GRID_DUTY_MISSING, date(2024, 2, 10)) == set()
    assert reminders.duties_near_period_end(date(2024, 2, 10)) == {}
    assert set(reminders.duties_near_period_end(date(2024, 12, 2))) == {"report"}  # 29 days before the year ends
