from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.errors import ActionRefused, PermissionRefused
from liaison.models import ReceptionDay, ReceptionRule, RosterEntry, Visit
from liaison.services.reception import reception_day_add, reception_day_cancel, roster_set, visit_record
from liaison.services.rules import reception_rule_create, reception_rule_update, rule_dates
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street  # the fixture, shared by the reception test modules

TODAY = date(2024, 1, 1)


def days_of(station):
    return list(ReceptionDay.objects.filter(station=station).order_by("date").values_list("date", flat=True))


def test_monthly_31st_falls_on_the_last_day_of_short_months_and_29_february_in_a_leap_year(street, frozen_today):
    frozen_today(TODAY)
    reception_rule_create(
        station=street.a,
        kind="monthly",
        day_of_month=31,
        valid_from=date(2023, 11, 1),
        valid_to=date(2024, 5, 31),
        actor=street.staff_a,
    )
    assert days_of(street.a) == [
        date(2023, 11, 30),
        date(2023, 12, 31),
        date(2024, 1, 31),
        date(2024, 2, 29),  # leap year
        date(2024, 3, 31),
        date(2024, 4, 30),
        date(2024, 5, 31),
    ]


def test_monthly_29th_in_february_of_common_and_leap_years(street):
    rule = ReceptionRule(kind="monthly", day_of_month=29, valid_from=date(2023, 1, 1), valid_to=date(2025, 12, 31))
    februaries = [d for d in rule_dates(rule, date(2023, 1, 1), date(2025, 12, 31)) if d.month == 2]
    assert februaries == [date(2023, 2, 28), date(2024, 2, 29), date(2025, 2, 28)]
    rule.day_of_month, rule.valid_to = 30, None
    assert [d for d in rule_dates(rule, date(2100, 1, 1), date(2100, 3, 31))] == [
        date(2100, 1, 30),
        date(2100, 2, 28),  # 2100 is not a leap year
        date(2100, 3, 30),
    ]


def test_the_15th_every_month_and_every_friday(street, frozen_today):
    frozen_today(TODAY)
    reception_rule_create(
        station=street.a,
        kind="monthly",
        day_of_month=15,
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 12, 31),
        actor=street.staff_a,
    )
    assert days_of(street.a) == [date(2024, m, 15) for m in range(1, 13)]
    reception_rule_create(
        station=street.b,
        kind="weekly",
        weekday=4,
        valid_from=date(2024, 2, 1),
        valid_to=date(2024, 3, 1),
        actor=street.staff_b,
    )
    assert days_of(street.b) == [
        date(2024, 2, 2),
        date(2024, 2, 9),
        date(2024, 2, 16),
        date(2024, 2, 23),
        date(2024, 3, 1),
    ]


def test_two_rules_on_the_same_date_make_one_day_and_a_one_off_rule_makes_one(street, frozen_today):
    frozen_today(TODAY)
    reception_rule_create(
        station=street.a, kind="monthly", day_of_month=2, valid_from=date(2024, 2, 1), valid_to=date(2024, 2, 29),
        actor=street.staff_a,
    )  # fmt: skip
    reception_rule_create(
        station=street.a, kind="weekly", weekday=4, valid_from=date(2024, 2, 1), valid_to=date(2024, 2, 10),
        actor=street.staff_a,
    )  # fmt: skip
    reception_rule_create(station=street.a, kind="once", date=date(2024, 2, 20), actor=street.staff_a)
    assert days_of(street.a) == [date(2024, 2, 2), date(2024, 2, 9), date(2024, 2, 20)]


def test_open_ended_rule_is_generated_up_to_the_horizon(street, frozen_today):
    frozen_today(TODAY)
    reception_rule_create(
        station=street.a,
        kind="monthly",
        day_of_month=15,
        valid_from=date(2024, 1, 1),
        actor=street.staff_a,
    )
    days = days_of(street.a)
    assert days[0] == date(2024, 1, 15)
    assert days[-1] == date(2025, 1, 15)  # 400 days ahead of 1 January 2024 ends on 4 February 2025


def test_changing_a_rule_never_deletes_days_with_visits(street, frozen_today):
    frozen_today(date(2024, 1, 1))
    rule = reception_rule_create(
        station=street.a,
        kind="monthly",
        day_of_month=15,
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 6, 30),
        actor=street.staff_a,
    )
    frozen_today(date(2024, 3, 15))
    visit = visit_record(
        actor=street.staff_a,
        station=street.a,
        date=date(2024, 3, 15),
        channel="at_station",
        headcount=2,
    )
    assert visit.reception_day.date == date(2024, 3, 15)
    # On 1 March the station moves from the 15th to the 20th.
    frozen_today(date(2024, 3, 1))
    reception_rule_update(rule=rule, day_of_month=20, actor=street.staff_a)
    assert days_of(street.a) == [
        date(2024, 1, 15),  # past: history, untouched
        date(2024, 2, 15),
        date(2024, 3, 15),  # has a visit: kept
        date(2024, 3, 20),
        date(2024, 4, 20),
        date(2024, 5, 20),
        date(2024, 6, 20),
    ]
    kept = ReceptionDay.objects.get(station=street.a, date=date(2024, 3, 15))
    assert kept.rule is None and Visit.objects.get().reception_day == kept
    # Switching the rule off removes its future days, still not the one with a visit.
    reception_rule_update(rule=rule, is_active=False, actor=street.staff_a)
    assert days_of(street.a) == [date(2024, 1, 15), date(2024, 2, 15), date(2024, 3, 15)]


def test_bad_rules_are_refused_and_write_nothing(street, frozen_today):
    frozen_today(TODAY)
    cases = [
        {"kind": "monthly", "day_of_month": 32},
        {"kind": "monthly", "day_of_month": 0},
        {"kind": "monthly"},
        {"kind": "weekly", "weekday": 7},
        {"kind": "fortnightly", "weekday": 1},
        {"kind": "once"},
        {"kind": "monthly", "day_of_month": 5, "valid_from": date(2024, 5, 1), "valid_to": date(2024, 4, 1)},
    ]
    for case in cases:
        case.setdefault("valid_from", date(2024, 1, 1))
        with pytest.raises(ValidationError):
            reception_rule_create(station=street.a, actor=street.staff_a, **case)
    assert ReceptionRule.objects.count() == 0 and ReceptionDay.objects.count() == 0


def test_database_refuses_a_rule_whose_fields_do_not_match_its_kind(street):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceptionRule.objects.create(station=street.a, kind="weekly", day_of_month=3, valid_from=TODAY)


def test_only_the_stations_staff_or_office_manage_its_calendar(street, frozen_today):
    frozen_today(TODAY)
    with pytest.raises(PermissionRefused):
        reception_rule_create(station=street.a, kind="monthly", day_of_month=1, valid_from=TODAY, actor=street.staff_b)
    for user in (street.owner_user, street.leader, street.unit_officer):
        with pytest.raises(PermissionRefused):
            reception_day_add(station=street.a, date=TODAY, actor=user)
    # Staff of the area station manage the community point below it; the office manages anything.
    reception_day_add(station=street.a1, date=TODAY, actor=street.staff_a)
    reception_day_add(station=street.b, date=TODAY, actor=street.office)
    assert ReceptionDay.objects.count() == 2


def test_one_off_day_roster_and_cancel(street):
    day = reception_day_add(station=street.a, date=date(2024, 5, 8), note="主题接待", actor=street.staff_a)
    with pytest.raises(ActionRefused):
        reception_day_add(station=street.a, date=date(2024, 5, 8), actor=street.staff_a)
    roster_set(day=day, deputies=[street.owner], groups=[street.group_a], actor=street.staff_a)
    assert RosterEntry.objects.filter(day=day).count() == 2
    roster_set(day=day, deputies=[street.owner, street.colleague], actor=street.staff_a)
    assert set(RosterEntry.objects.filter(day=day).values_list("deputy", flat=True)) == {
        street.owner.pk,
        street.colleague.pk,
    }
    # A deputy of another station is refused and the roster stays as it was (tests/liaison/test_write_scope.py).
    with pytest.raises(ValidationError):
        reception_day_cancel(day=day, reason="  ", actor=street.staff_a)
    reception_day_cancel(day=day, reason="台风停班", actor=street.staff_a)
    day.refresh_from_db()
    assert day.is_cancelled and day.cancel_reason == "台风停班"
    with pytest.raises(ActionRefused):
        roster_set(day=day, deputies=[street.owner], actor=street.staff_a)


def test_a_day_with_visits_cannot_be_cancelled(street):
    day = reception_day_add(station=street.a, date=date(2024, 5, 8), actor=street.staff_a)
    visit_record(actor=street.staff_a, station=street.a, date=day.date, channel="at_station", headcount=1)
    with pytest.raises(ActionRefused):
        reception_day_cancel(day=day, reason="x", actor=street.staff_a)
    day.refresh_from_db()
    assert not day.is_cancelled
