"""The provisional calendar: statutory holidays derived from the law, checked against the official years."""

from datetime import date

import chinese_calendar
import pytest

from suggestions import deadlines, statutory

PACKAGE_YEARS = range(deadlines.package_years()[0], deadlines.package_years()[1] + 1)


@pytest.mark.parametrize("year", PACKAGE_YEARS)
def test_every_statutory_day_is_a_holiday_in_the_official_schedule(year):
    days = statutory.statutory_days(year)
    assert days, year
    not_off = [day for day in days if chinese_calendar.is_workday(day)]
    assert not_off == []


def test_the_substitute_days_off_mostly_match_the_official_schedules():
    """The State Council places a weekend holiday's day off on the next working day nearly always; twice in
    2004–2026 it chose the day before (2012 端午, 2015 中秋). The provisional calendar follows the law's rule."""
    substitutes = [
        day
        for year in PACKAGE_YEARS
        for day, name in statutory.provisional_holidays(year).items()
        if name == statutory.SUBSTITUTE_NAME
    ]
    missed = [day for day in substitutes if chinese_calendar.is_workday(day)]
    assert len(substitutes) > 60
    assert missed == [date(2012, 6, 25), date(2015, 9, 28)]


def test_each_version_of_the_law():
    names = lambda year: sorted(set(statutory.statutory_days(year).values()))  # noqa: E731
    # 1999: no 清明, 端午, 中秋; 劳动节 three days; 春节 from 初一.
    assert names(2007) == sorted({"元旦", "春节", "劳动节", "国庆节"})
    assert [d for d, n in statutory.statutory_days(2007).items() if n == "劳动节"] == [
        date(2007, 5, d) for d in (1, 2, 3)
    ]
    # 2008: 除夕 to 初二, 劳动节 one day, the three traditional festivals.
    assert [d for d, n in statutory.statutory_days(2013).items() if n == "春节"] == [
        date(2013, 2, d) for d in (9, 10, 11)
    ]
    assert len(statutory.statutory_days(2013)) == 11
    # 2014: 初一 to 初三.
    assert [d for d, n in statutory.statutory_days(2024).items() if n == "春节"] == [
        date(2024, 2, d) for d in (10, 11, 12)
    ]
    # 2025: 除夕 to 初三, 劳动节 two days: 13 days.
    assert [d for d, n in statutory.statutory_days(2026).items() if n == "春节"] == [
        date(2026, 2, d) for d in (16, 17, 18, 19)
    ]
    assert len(statutory.statutory_days(2026)) == 13


def test_the_provisional_2027():
    assert statutory.provisional_holidays(2027) == {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节",  # 除夕
        date(2027, 2, 6): "春节",
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",
        date(2027, 2, 9): "补假",  # for Saturday 02-06 and Sunday 02-07
        date(2027, 2, 10): "补假",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 5, 3): "补假",
        date(2027, 5, 4): "补假",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
        date(2027, 10, 4): "补假",
        date(2027, 10, 5): "补假",
    }
    assert not statutory.is_provisional_working_day(date(2027, 2, 9))
    assert not statutory.is_provisional_working_day(date(2027, 2, 13))  # a Saturday
    assert statutory.is_provisional_working_day(date(2027, 2, 11))


@pytest.mark.parametrize("year", range(2025, 2101))
def test_every_year_under_the_2024_law_has_thirteen_weekdays_off(year):
    """Each of the thirteen statutory days gives one weekday off: itself, or a substitute."""
    holidays = statutory.provisional_holidays(year)
    assert all(day.year == year for day in holidays)
    assert sum(1 for day in holidays if day.weekday() < 5) == 13


def test_mid_autumn_on_a_day_of_national_day_still_gives_its_day_off():
    # 2028: 中秋 is 10-03 (Tuesday), the third day of 国庆; 10-01 is a Sunday. Two substitutes: 10-04, 10-05.
    holidays = statutory.provisional_holidays(2028)
    assert [day for day in holidays if day.month >= 9] == [date(2028, 10, d) for d in (1, 2, 3, 4, 5)]
    assert holidays[date(2028, 10, 4)] == holidays[date(2028, 10, 5)] == "补假"
