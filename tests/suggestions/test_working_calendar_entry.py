"""The working-day calendar the office enters: the text form it pastes, and the service that stores it.

The 2027 schedule used here is described in ``working_calendar_support``.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.errors import ActionRefused, PermissionRefused
from suggestions import deadlines, holidays, services
from suggestions.models import CalendarDay, CalendarYear
from tests.suggestions import working_calendar_support
from tests.suggestions.working_calendar_support import SCHEDULE_2027, enter

# The shared fixtures: the pinned package's range, and messages in Chinese.
package_ends_in_2026 = working_calendar_support.package_ends_in_2026
in_chinese = working_calendar_support.in_chinese


# --- The text the office pastes --------------------------------------------------------------------


def test_the_text_form_reads_days_and_ranges():
    entries = holidays.parse_schedule(SCHEDULE_2027)
    assert len(entries) == 3 + 8 + 1 + 1
    assert [e.day for e in entries if e.is_working_day] == [date(2027, 2, 14), date(2027, 2, 20)]
    assert {e.name for e in entries if not e.is_working_day} == {"元旦", "春节"}
    assert {e.line for e in entries if e.name == "春节"} == {4}
    # Other ways of writing dates and ranges, full-width spaces included.
    entries = holidays.parse_schedule("2027年5月1日至2027年5月5日\u3000劳动节\n2027.4.25 上班")
    assert [e.day.day for e in entries] == [1, 2, 3, 4, 5, 25]
    assert entries[-1].is_working_day and entries[-1].name == "调休上班"


def test_the_text_round_trips_through_the_stored_days(world):
    enter(world.office)
    text = holidays.schedule_text(CalendarDay.objects.filter(calendar_year__year=2027))
    assert text.splitlines() == [
        "2027-01-01~2027-01-03 元旦",
        "2027-02-06~2027-02-13 春节",
        "2027-02-14 调休上班",
        "2027-02-20 上班 春节调休",
    ]
    assert holidays.parse_schedule(text) and [
        (e.day, e.is_working_day, e.name) for e in holidays.check_entries(2027, holidays.parse_schedule(text))
    ] == [(d.date, d.is_working_day, d.name) for d in CalendarDay.objects.order_by("date")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-01 元旦\n元旦放假三天", "第2行：“元旦放假三天”不是“日期 名称”或“日期~日期 名称”的格式"),
        ("2027-01-01", "第1行："),
        ("2027-02-30 春节", "第1行：2027-02-30不是有效日期。"),
        ("2027-02-13~2027-02-06 春节", "第1行：结束日期早于开始日期。"),
        ("2027-02-14 调休", "第1行：“调休”含义不明确"),
        ("\n# 只有注释\n", "节假日安排为空"),
    ],
)
def test_unreadable_lines_are_named_in_chinese(text, message):
    with pytest.raises(ValidationError) as refused:
        holidays.parse_schedule(text)
    assert any(m.startswith(message) for m in refused.value.messages), refused.value.messages


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-02-15 上班", "第1行：2027-02-15是周一至周五，本来就是工作日"),
        ("2027-01-01 元旦\n2026-12-31 元旦", "第2行：2026-12-31不在2027年内。"),
        ("2027-02-06~2027-02-13 春节\n2027-02-13 上班", "第2行：2027-02-13重复出现（另见第1行）。"),
        ("2027-01-01 " + "长" * 31, "第1行：名称最多30个字。"),
    ],
)
def test_rules_of_the_schedule_name_the_line(text, message):
    with pytest.raises(ValidationError) as refused:
        holidays.check_entries(2027, holidays.parse_schedule(text))
    assert any(m.startswith(message) for m in refused.value.messages), refused.value.messages


def test_every_problem_is_listed_at_once():
    with pytest.raises(ValidationError) as refused:
        holidays.parse_schedule("2027-01-01 元旦\n坏行\n2027-13-01 春节")
    assert [m[:4] for m in refused.value.messages] == ["第2行：", "第3行："]


def test_a_holiday_on_a_weekend_is_accepted_so_ranges_can_be_typed_as_published(world):
    enter(world.office)
    assert not CalendarDay.objects.get(date=date(2027, 2, 6)).is_working_day  # a Saturday, kept with its name
    assert CalendarDay.objects.get(date=date(2027, 2, 6)).name == "春节"


# --- The service: who, and all or nothing ------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_a", "deputy", "lead_officer", "leader"])
def test_only_the_office_and_admins_enter_a_year(world, who):
    with pytest.raises(PermissionRefused):
        enter(world.users()[who])
    assert not CalendarYear.objects.exists()
    enter(world.admin)
    assert CalendarYear.objects.get().entered_by == world.admin


def test_a_bad_line_writes_nothing_and_keeps_the_year_entered_before(world):
    with pytest.raises(ValidationError):
        services.calendar_year_enter(
            actor=world.office,
            year=2027,
            entries=[
                holidays.ScheduleEntry(day=date(2027, 1, 1), is_working_day=False, name="元旦"),
                holidays.ScheduleEntry(day=date(2027, 1, 4), is_working_day=True, name="上班"),  # a Monday
            ],
        )
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()

    enter(world.office, source="国办发明电〔2026〕7号")
    before = list(CalendarDay.objects.order_by("date").values_list("date", "is_working_day", "name"))
    with pytest.raises(ValidationError):
        enter(world.office, text="2027-01-01 元旦\n2027-01-04 上班", replace=True)
    assert list(CalendarDay.objects.order_by("date").values_list("date", "is_working_day", "name")) == before
    assert CalendarYear.objects.get().source == "国办发明电〔2026〕7号"


def test_replacing_needs_confirmation_and_swaps_the_whole_year(world, make_user):
    enter(world.office)
    colleague = make_user("office", username="office2")
    with pytest.raises(ActionRefused) as refused:
        enter(colleague, text="2027-01-01 元旦")
    assert refused.value.code == "calendar_year_entered"
    assert CalendarDay.objects.count() == 13
    enter(colleague, text="2027-01-01 元旦", note="更正", replace=True)
    calendar_year = CalendarYear.objects.get()
    assert calendar_year.entered_by == colleague and calendar_year.note == "更正"
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [date(2027, 1, 1)]
    assert deadlines.is_working_day(date(2027, 2, 8))  # the Spring Festival is gone with the old schedule


def test_a_year_out_of_range_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        enter(world.office, year=1999, text="1999-01-01 元旦")
    assert "year" in refused.value.message_dict


def test_the_database_keeps_the_rules_too(world):
    calendar_year = CalendarYear.objects.create(year=2027)
    for day, working in [(date(2026, 12, 31), False), (date(2027, 1, 4), True)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            CalendarDay.objects.create(calendar_year=calendar_year, date=day, is_working_day=working, name="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarDay.objects.create(calendar_year=calendar_year, date=date(2027, 1, 1), is_working_day=False, name="")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarYear.objects.create(year=1999)
    CalendarDay.objects.create(calendar_year=calendar_year, date=date(2027, 2, 14), is_working_day=True, name="上班")
