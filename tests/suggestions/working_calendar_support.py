"""What the working-day calendar tests share: 2027's schedule as the office would enter it, and fixtures.

The installed chinesecalendar covers 2004–2026; 2027 is entered here as the office would, from a
schedule like the State Council's (New Year on a Friday, Spring Festival 02-06..02-13 with Sunday
02-14 and Saturday 02-20 worked in exchange).
"""

import pytest
from django.utils import translation

from suggestions import deadlines, holidays, services

SCHEDULE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知
2027-01-01~2027-01-03 元旦
2027-02-06~2027-02-13 春节
2027-02-14 上班
2027/2/20 补班 春节调休
"""


def enter(actor, year=2027, text=SCHEDULE_2027, **kwargs):
    return services.calendar_year_enter(actor=actor, year=year, entries=holidays.parse_schedule(text), **kwargs)


@pytest.fixture(autouse=True)
def package_ends_in_2026():
    # The dates below assume the pinned package's range; a newer package would cover 2027 itself.
    assert deadlines.package_years() == (2004, 2026)


@pytest.fixture(autouse=True)
def in_chinese():
    # Messages are checked in the site's language, whatever an earlier test left active.
    with translation.override("zh-hans"):
        yield
