"""The statutory public holidays (法定节假日) as the law fixes them, for years without an official schedule.

《全国年节及纪念日放假办法》 fixes which days are public holidays. Each November or December the State
Council then arranges the year around them (days off bridged to weekends, make-up working days) and
publishes the arrangement. Until a year's arrangement is known — entered by the office or shipped in
the ``chinesecalendar`` package — deadlines are counted on a *provisional* calendar: the statutory
days of the law in force that year, the weekends, and a substitute day off (补假) on the next working
day for each statutory day that falls on a weekend, as the law requires ("适逢星期六、星期日，应当在
工作日补假"). There are no make-up working days: those exist only in the published arrangement.

The versions of the law (the year each took effect):

- 1999 (国务院令第270号): 元旦 1 day; 春节 3 (正月初一至初三); 劳动节 3 (5月1日至3日); 国庆 3 (10月1日至3日).
- 2008 (第513号): 春节 3 (除夕、正月初一、初二); 劳动节 1; 清明、端午、中秋 1 each.
- 2014 (第644号): 春节 3 (正月初一至初三).
- 2025 (第795号): 春节 4 (除夕至正月初三); 劳动节 2 (5月1日、2日).

Lunar dates (除夕, 正月初一, 五月初五, 八月十五) and the 清明 solar term come from ``lunar_python``
(pinned in requirements.txt), not from astronomy written here. Tests check the statutory days of
every year the package knows against the package's official schedules.

Pure computation, no database: results are cached per process.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, Solar

from suggestions.holidays import ScheduleEntry

# Shown wherever a deadline was counted on this calendar.
PROVISIONAL_MARK = "暂按法定节假日推算"
SUBSTITUTE_NAME = "补假"


@dataclass(frozen=True)
class _Law:
    since: int  # first year in force
    spring_festival: tuple[int, ...]  # days relative to 正月初一 (-1 is 除夕)
    labour_day: int  # days from 1 May
    traditional: bool  # 清明、端午、中秋


_LAWS = (
    _Law(since=2025, spring_festival=(-1, 0, 1, 2), labour_day=2, traditional=True),
    _Law(since=2014, spring_festival=(0, 1, 2), labour_day=1, traditional=True),
    _Law(since=2008, spring_festival=(-1, 0, 1), labour_day=1, traditional=True),
    _Law(since=1999, spring_festival=(0, 1, 2), labour_day=3, traditional=False),
)


def _law(year: int) -> _Law:
    return next((law for law in _LAWS if year >= law.since), _LAWS[-1])


def _lunar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    # The solar term table of the lunar date on 15 April (always after 清明, always in the same lunar year).
    term = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return date(term.getYear(), term.getMonth(), term.getDay())


def _blocks(year: int) -> list[tuple[str, list[date]]]:
    """Each festival's statutory days in ``year``, in the order of the year."""
    law = _law(year)
    new_year = _lunar(year, 1, 1)
    blocks = [
        ("元旦", [date(year, 1, 1)]),
        ("春节", [new_year + timedelta(days=offset) for offset in law.spring_festival]),
        ("劳动节", [date(year, 5, 1) + timedelta(days=offset) for offset in range(law.labour_day)]),
        ("国庆节", [date(year, 10, 1) + timedelta(days=offset) for offset in range(3)]),
    ]
    if law.traditional:
        blocks += [("清明节", [_qingming(year)]), ("端午节", [_lunar(year, 5, 5)]), ("中秋节", [_lunar(year, 8, 15)])]
    return sorted(blocks, key=lambda block: block[1][0])


def statutory_days(year: int) -> dict[date, str]:
    """The statutory public holidays of ``year`` under the law in force then: {day: festival name}.
    (除夕 is never earlier than 20 January, so every festival's days lie in its own year.)"""
    return {day: name for name, block in _blocks(year) for day in block}


@lru_cache(maxsize=256)
def provisional_holidays(year: int) -> dict[date, str]:
    """Every day off of ``year`` on the provisional calendar apart from ordinary weekends: {day: name}.

    Each statutory festival day gives one weekday off: itself when it falls on a free weekday, otherwise
    a substitute day (补假) on the first following weekday that is not already off — for a festival day
    on a weekend, and for one that shares its date with another festival (中秋 on a day of 国庆, as in
    2028), the State Council's practice in such years."""
    festival_days = sorted((day, name) for name, block in _blocks(year) for day in block)
    days: dict[date, str] = {}
    for day, name in festival_days:
        days.setdefault(day, name)
    owed = 0
    for index, (day, _name) in enumerate(festival_days):
        shared = index > 0 and festival_days[index - 1][0] == day
        if day.weekday() >= 5 or shared:
            owed += 1
        following = day + timedelta(days=1)
        block_ends = index + 1 == len(festival_days) or festival_days[index + 1][0] > following
        if owed and block_ends:
            candidate = following
            while owed:
                if candidate.weekday() < 5 and candidate not in days:
                    days[candidate] = SUBSTITUTE_NAME
                    owed -= 1
                candidate += timedelta(days=1)
    return dict(sorted(days.items()))


def provisional_schedule(year: int) -> list[ScheduleEntry]:
    """The provisional calendar of ``year`` as schedule entries (the holidays on weekdays and weekends)."""
    return [ScheduleEntry(day=day, is_working_day=False, name=name) for day, name in provisional_holidays(year).items()]


def is_provisional_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in provisional_holidays(day.year)
