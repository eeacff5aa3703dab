"""The demo street's opening hours name the same reception day as the station's reception rule."""

import pytest
from django.core.management import call_command
from django.db import transaction

from liaison.models import ReceptionRule, ReceptionRuleKind

WEEKDAYS = "一二三四五六日"


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo, db):
    """Each test runs in a savepoint inside the module's transaction."""


def reception_day_text(rule: ReceptionRule) -> str:
    if rule.kind == ReceptionRuleKind.MONTHLY:
        return f"每月{rule.day_of_month}日"
    if rule.kind == ReceptionRuleKind.WEEKLY:
        return f"每周{WEEKDAYS[rule.weekday]}"
    raise AssertionError(f"the demo has no {rule.kind} rule")


def test_every_station_with_a_rule_announces_that_day_and_no_other(demo):
    rules = list(ReceptionRule.objects.select_related("station").order_by("station__name"))
    assert rules
    for rule in rules:
        hours = rule.station.opening_hours
        assert reception_day_text(rule) in hours, (rule.station.name, hours)
        other = "每周" if rule.kind == ReceptionRuleKind.MONTHLY else "每月"
        assert other not in hours, (rule.station.name, hours)


def test_fanluogang_receives_on_fridays(demo):
    rule = ReceptionRule.objects.select_related("station").get(station__name="范罗岗片区实践站")
    assert (rule.kind, rule.weekday) == (ReceptionRuleKind.WEEKLY, 4)
    assert "每周五" in rule.station.opening_hours
    assert "每月15日" not in rule.station.opening_hours
