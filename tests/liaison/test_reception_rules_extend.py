"""The monthly roll of every rule's horizon: a constant number of queries, the same days as syncing each rule."""

from datetime import date

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from liaison.models import ReceptionDay, ReceptionRule
from liaison.services.reception import visit_record
from liaison.services.rules import _sync_rule_days, reception_rule_create, reception_rules_extend
from tests.liaison import reception_support

street = reception_support.street  # the fixture, shared by the reception test modules


class _Undo(Exception):
    pass


def _calendar():
    return sorted(ReceptionDay.objects.values_list("station_id", "date", "rule_id", "origin"))


def _rules(street, stations):
    made = []
    for n, station in enumerate(stations):
        made.append(
            reception_rule_create(
                station=station, kind="monthly", day_of_month=10 + n, valid_from=date(2024, 1, 1), actor=street.office
            )
        )
        made.append(
            reception_rule_create(
                station=station, kind="weekly", weekday=n % 5, valid_from=date(2024, 1, 1), actor=street.office
            )
        )
    return made


def test_extending_gives_the_days_that_syncing_each_rule_gives(street, frozen_today):
    frozen_today(date(2024, 1, 1))
    monthly, weekly, *_ = _rules(street, [street.a, street.b])
    reception_rule_create(
        station=street.a, kind="monthly", day_of_month=3, valid_from=date(2024, 1, 1), valid_to=date(2024, 3, 31),
        actor=street.office,
    )  # fmt: skip
    reception_rule_create(station=street.b, kind="once", date=date(2024, 2, 2), actor=street.office)
    frozen_today(date(2024, 7, 10))
    visit = visit_record(
        actor=street.staff_a, station=street.a, date=date(2024, 7, 10), channel="at_station", headcount=1
    )
    # The rules change behind the days' back: the 10th becomes the 20th, Mondays become Tuesdays.
    ReceptionRule.objects.filter(pk=monthly.pk).update(day_of_month=20)
    ReceptionRule.objects.filter(pk=weekly.pk).update(weekday=1)

    # Rule by rule, a day one rule gives up can hide a day another rule wants (both fall on the same
    # date), so the rules are synced until nothing changes; extending reaches that calendar in one pass.
    try:
        with transaction.atomic():
            expected = None
            while expected != (calendar := _calendar()):
                expected = calendar
                for rule in ReceptionRule.objects.filter(is_active=True).exclude(kind="once"):
                    _sync_rule_days(rule, date(2024, 7, 10))
            raise _Undo
    except _Undo:
        pass
    assert expected != _calendar()  # there is something to extend and to correct

    assert reception_rules_extend() == 5
    assert _calendar() == expected
    visit.reception_day.refresh_from_db()
    assert visit.reception_day.rule is None  # the 10th has a visit: kept, detached from the rule
    assert reception_rules_extend() == 5 and _calendar() == expected  # safe to run twice


def test_extending_costs_the_same_queries_for_two_rules_as_for_eight(street, frozen_today):
    frozen_today(date(2024, 1, 1))
    _rules(street, [street.a])
    frozen_today(date(2024, 9, 1))
    with CaptureQueriesContext(connection) as few:
        reception_rules_extend()
    frozen_today(date(2024, 1, 1))
    _rules(street, [street.b, street.a1, street.hub])
    frozen_today(date(2024, 10, 1))
    with CaptureQueriesContext(connection) as many:
        assert reception_rules_extend() == 8
    assert len(many) == len(few) <= 8
