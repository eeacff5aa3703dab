"""The demo street's opening hours name the same reception day as the station's reception rule."""

import pytest

from liaison.models import ReceptionRule, ReceptionRuleKind

WEEKDAYS = "一二三四五六日"


@pytest.fixture(scope="module")
def _demo(demo_street_module):
    """The demo street, built once for this module (``demo_street_module``)."""


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
