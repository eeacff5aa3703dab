"""The working-day calendar the office enters: deadlines across an entered year, the text form, the pages.

The installed chinesecalendar covers 2004–2026; 2027 is entered here as the office would, from a
schedule like the State Council's (New Year on a Friday, Spring Festival 02-06..02-13 with Sunday
02-14 and Saturday 02-20 worked in exchange).
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Role
from core.errors import ActionRefused, PermissionRefused
from notifications.models import Notification
from reports.documents import street_document
from reports.pdf.render import html_to_pdf
from suggestions import deadlines, holidays, services
from suggestions.checks import working_calendar_covers_today
from suggestions.models import Action, CalendarDay, CalendarYear, State, SuggestionEvent
from suggestions.reminders import last_reply_day_to_remind
from tests.reports.pdf_checks import flat, page_texts
from tests.suggestions.helpers import drive

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


# --- Deadlines across an entered year ------------------------------------------------------------


def test_a_deadline_across_new_year_is_provisional_until_2027_is_entered(world):
    # 2026-12-28 is a Monday: 12-29, 12-30, 12-31, then 01-01 (元旦 by the law) and the weekend, 01-04, 01-05.
    assert deadlines.assignment_due(date(2026, 12, 28)) == (date(2027, 1, 5), True)
    assert deadlines.return_request_due(date(2026, 12, 28)) == (date(2027, 1, 7), True)

    enter(world.office)
    assert deadlines.assignment_due(date(2026, 12, 28)) == (date(2027, 1, 5), False)
    assert deadlines.return_request_due(date(2026, 12, 28)) == (date(2027, 1, 7), False)


def test_spring_festival_as_entered_with_its_make_up_days(world):
    enter(world.office)
    # Thu 02-04 → Fri 02-05 (1), 02-06..02-13 off, Sun 02-14 worked (2), 02-15..02-17 (3–5).
    assert deadlines.assignment_due(date(2027, 2, 4)).due == date(2027, 2, 17)
    # … 02-18 (6), 02-19 (7).
    assert deadlines.return_request_due(date(2027, 2, 4)).due == date(2027, 2, 19)
    assert deadlines.is_working_day(date(2027, 2, 20))  # Saturday worked in exchange
    assert not deadlines.is_working_day(date(2027, 2, 21))  # an ordinary Sunday
    assert not deadlines.is_working_day(date(2027, 2, 8))  # a Monday of the Spring Festival
    assert deadlines.is_working_day(date(2027, 3, 1))  # an ordinary Monday
    assert CalendarDay.objects.get(date=date(2027, 2, 20)).name == "春节调休"
    assert CalendarDay.objects.get(date=date(2027, 2, 14)).name == "调休上班"


def test_submission_and_assignment_go_on_with_provisional_deadlines_over_new_year(world, frozen_today):
    frozen_today(date(2026, 12, 28))
    suggestion = drive(world, State.DRAFT)
    services.suggestion_cosign(suggestion=suggestion, actor=world.cosigner, accept=True)

    client = APIClient()
    client.force_authenticate(world.deputy)
    response = client.post(f"/api/v1/suggestions/{suggestion.pk}/submit/", format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["assign_due"], body["assign_due_provisional"]) == ("submitted", "2027-01-05", True)
    assert body["deadline_provisional"] is True
    [event] = SuggestionEvent.objects.filter(suggestion=suggestion, action="submit")
    assert event.data == {"assign_due": "2027-01-05", "provisional": True}

    frozen_today(date(2026, 12, 30))
    client.force_authenticate(world.office)
    response = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/assign/", {"lead_unit": world.lead_unit.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    # 12-31, 01-04 … 01-08, 01-11: seven working days with 元旦 off.
    assert (body["return_request_due"], body["return_request_due_provisional"]) == ("2027-01-11", True)
    assert body["deadline_provisional"] is False  # the reply deadline is counted in months


def test_entering_the_official_year_counts_provisional_deadlines_again(world, frozen_today):
    """Counted on the law's Spring Festival (除夕 02-05 … 初三 02-08, 补假 02-09 and 02-10), then on the
    published schedule (02-06 … 02-13 off, Sunday 02-14 worked)."""
    frozen_today(date(2027, 1, 29))  # a Friday
    moving = drive(world, State.SUBMITTED)
    # 02-01 … 02-04, then 02-11: the fifth working day on the provisional calendar.
    assert (moving.assign_due, moving.assign_due_provisional) == (date(2027, 2, 11), True)
    assert moving.assign_counted_from == date(2027, 1, 29)
    staying = drive(world, State.SUBMITTED)
    frozen_today(date(2027, 2, 1))
    staying = services.suggestion_assign(suggestion=staying, actor=world.office, lead_unit=world.lead_unit)
    # 02-02 … 02-04, 02-11, 02-12, 02-15, 02-16 provisionally; 02-02 … 02-05, 02-14 … 02-16 officially.
    assert (staying.return_request_due, staying.return_request_due_provisional) == (date(2027, 2, 16), True)
    frozen_today(date(2027, 1, 29))
    closed = drive(world, State.SUBMITTED)
    services.suggestion_withdraw(suggestion=closed, actor=world.deputy, reason="已通过其他渠道解决")
    events_before = SuggestionEvent.objects.filter(suggestion__in=[staying, closed]).count()

    frozen_today(date(2027, 2, 1))
    enter(world.admin)  # an administrator enters it, so the office is among those told

    moving.refresh_from_db()
    assert (moving.assign_due, moving.assign_due_provisional) == (date(2027, 2, 5), False)
    [event] = SuggestionEvent.objects.filter(suggestion=moving, action=Action.RECOMPUTE_DEADLINE)
    assert event.actor == world.admin and event.from_state == event.to_state == State.SUBMITTED
    assert event.data == {
        "deadline": "assign_due",
        "previous": "2027-02-11",
        "new": "2027-02-05",
        "year": 2027,
        "provisional": False,
    }
    [notice] = Notification.objects.filter(verb="suggestion.deadline_recounted", target_id=moving.pk)
    assert notice.recipient == world.office
    assert notice.title.startswith("交办期限调整为2027-02-05（原为2027-02-11）")
    # Nobody hears about deadlines that did not move.
    assert not Notification.objects.filter(verb="suggestion.deadline_recounted", target_id=staying.pk).exists()

    staying.refresh_from_db()
    assert (staying.return_request_due, staying.return_request_due_provisional) == (date(2027, 2, 16), False)
    closed.refresh_from_db()
    assert closed.state == State.WITHDRAWN and closed.assign_due_provisional is True  # closed: left as it was
    assert SuggestionEvent.objects.filter(suggestion__in=[staying, closed]).count() == events_before

    # The timeline says what happened, in Chinese.
    page = Client()
    page.force_login(world.deputy)
    html = page.get(f"/suggestions/{moving.pk}/").content.decode()
    assert "交办期限按2027年官方节假日安排重新计算：2027-02-11 → 2027-02-05" in html


def test_a_refused_entry_counts_nothing_again(world, frozen_today):
    frozen_today(date(2027, 1, 29))
    suggestion = drive(world, State.SUBMITTED)
    with pytest.raises(ValidationError):
        enter(world.office, text="2027-02-14 上班\n2027-02-15 上班")  # a Monday cannot be a make-up day
    suggestion.refresh_from_db()
    assert (suggestion.assign_due, suggestion.assign_due_provisional) == (date(2027, 2, 11), True)
    assert not SuggestionEvent.objects.filter(suggestion=suggestion, action=Action.RECOMPUTE_DEADLINE).exists()


def test_a_year_neither_built_in_nor_entered_is_provisional(world):
    enter(world.office)
    # 12-28 … 12-31, then 元旦 2028 falls on a Saturday: the law's substitute day off is Monday 01-03.
    assert deadlines.assignment_due(date(2027, 12, 27)) == (date(2028, 1, 4), True)
    assert deadlines.covered_years() == [*range(2004, 2028)]


def test_an_entered_year_takes_precedence_over_the_package(world):
    assert deadlines.is_working_day(date(2026, 12, 28))  # per the package
    enter(world.office, year=2026, text="2026-12-28 测试假日")
    assert not deadlines.is_working_day(date(2026, 12, 28))
    # Only the listed days differ from the week: the package's 2026 holidays no longer apply.
    assert deadlines.is_working_day(date(2026, 10, 1))


def test_the_system_check_is_quiet_once_next_year_is_entered(world, frozen_today):
    frozen_today(date(2026, 12, 20))
    [warning] = working_calendar_covers_today()
    assert warning.id == "suggestions.W001"
    frozen_today(date(2027, 1, 5))
    [warning] = working_calendar_covers_today()
    assert warning.id == "suggestions.W002"

    enter(world.office)
    frozen_today(date(2026, 12, 20))
    assert working_calendar_covers_today() == []
    frozen_today(date(2027, 1, 5))
    assert working_calendar_covers_today() == []
    frozen_today(date(2027, 6, 1))
    assert working_calendar_covers_today() == []
    frozen_today(date(2027, 12, 20))
    [warning] = working_calendar_covers_today()
    assert warning.id == "suggestions.W001" and "2028" in warning.msg
    frozen_today(date(2028, 3, 1))
    [warning] = working_calendar_covers_today()
    assert warning.id == "suggestions.W002"


def test_the_check_asks_the_database_only_when_the_package_falls_short(db, django_assert_num_queries, frozen_today):
    with django_assert_num_queries(0):
        frozen_today(date(2026, 6, 1))
        assert working_calendar_covers_today() == []
    with django_assert_num_queries(1):
        frozen_today(date(2026, 12, 20))
        [warning] = working_calendar_covers_today()
    assert warning.id == "suggestions.W001"


def test_the_office_home_page_says_while_next_year_is_provisional(world, client, frozen_today):
    frozen_today("2026-12-04 09:00 +08:00")
    client.force_login(world.office)
    html = client.get("/").content.decode()
    assert "2027年的官方节假日安排尚未录入" in html and "暂按法定节假日推算" in html
    assert "/suggestions/calendar/enter/?year=2027" in html
    client.force_login(world.leader)  # leaders do not enter the calendar
    assert "暂按法定节假日推算" not in client.get("/").content.decode()

    enter(world.office)
    client.force_login(world.office)
    assert "暂按法定节假日推算" not in client.get("/").content.decode()
    frozen_today("2027-03-01 09:00 +08:00")
    assert "暂按法定节假日推算" not in client.get("/").content.decode()


# --- One query per computation -----------------------------------------------------------------------


def test_one_query_per_computation(world, django_assert_num_queries):
    enter(world.office)
    # Across New Year: 2026 (package) and 2027 (entered) are read together.
    with django_assert_num_queries(1):
        assert deadlines.assignment_due(date(2026, 12, 28)).due == date(2027, 1, 5)
    with django_assert_num_queries(1):
        assert deadlines.return_request_due(date(2027, 2, 4)).due == date(2027, 2, 19)
    with django_assert_num_queries(1):
        assert deadlines.assignment_due(date(2024, 9, 27)).due == date(2024, 10, 10)  # package only: still one
    # The reminder rule loops over dozens of computations with one calendar.
    with django_assert_num_queries(1):
        last_reply_day_to_remind(date(2027, 2, 26), 20)
    calendar = deadlines.WorkingCalendar()
    with django_assert_num_queries(1):
        for day in range(1, 29):
            calendar.is_working_day(date(2027, 2, day))
        calendar.is_working_day(date(2026, 12, 31))


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


# --- The pages -------------------------------------------------------------------------------------


def test_the_office_previews_then_saves_a_year(world, client):
    client.force_login(world.office)
    page = client.get("/suggestions/calendar/").content.decode()
    assert 'data-year="2027" data-source="provisional"' in page and "录入2027年节假日安排" in page
    assert "暂按法定节假日推算" in page
    assert "/suggestions/calendar/" in client.get("/suggestions/").content.decode()  # the tab

    form = {"year": "2027", "source": "国办发明电〔2026〕7号", "schedule": SCHEDULE_2027, "note": ""}
    response = client.post("/suggestions/calendar/enter/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "预览：2027年" in html and 'data-date="2027-02-14" data-working="1"' in html
    assert "工作日放假6天" in html and "调休上班2天" in html  # 01-01 and 02-08..02-12
    assert not CalendarYear.objects.exists()  # a preview writes nothing

    response = client.post("/suggestions/calendar/enter/", {**form, "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == "/suggestions/calendar/2027/"
    assert CalendarDay.objects.filter(calendar_year__year=2027).count() == 13
    html = client.get("/suggestions/calendar/2027/").content.decode()
    assert "国办发明电〔2026〕7号" in html and "春节调休" in html
    assert 'data-year="2027" data-source="entered"' in client.get("/suggestions/calendar/").content.decode()

    # Replacing starts from the current schedule, warns, and needs the preview's confirmation.
    page = client.get("/suggestions/calendar/enter/?year=2027").content.decode()
    assert "2027-02-06~2027-02-13 春节" in page
    changed = {**form, "schedule": "2027-01-01 元旦"}
    html = client.post("/suggestions/calendar/enter/", changed).content.decode()
    assert "这将替换" in html and 'name="replace" value="1"' in html
    response = client.post("/suggestions/calendar/enter/", {**changed, "confirmed": "1"})
    assert response.status_code == 409 and "已经录入过" in response.content.decode()
    assert CalendarDay.objects.count() == 13
    client.post("/suggestions/calendar/enter/", {**changed, "confirmed": "1", "replace": "1"})
    assert CalendarDay.objects.count() == 1


def test_a_bad_paste_shows_the_line_and_writes_nothing(world, client):
    client.force_login(world.office)
    bad = {"year": "2027", "schedule": "2027-01-01 元旦\n2027-02-15 上班", "confirmed": "1"}
    response = client.post("/suggestions/calendar/enter/", bad)
    assert response.status_code == 400
    assert "第2行：2027-02-15是周一至周五" in response.content.decode()
    assert not CalendarYear.objects.exists()


@pytest.mark.parametrize("who", ["staff_a", "deputy", "lead_officer", "leader"])
def test_the_calendar_pages_are_the_offices(world, client, who):
    enter(world.office)
    client.force_login(world.users()[who])
    for url in ["/suggestions/calendar/", "/suggestions/calendar/enter/", "/suggestions/calendar/2027/"]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        "/suggestions/calendar/enter/", {"year": "2028", "schedule": "2028-01-01 元旦", "confirmed": "1"}
    )
    assert response.status_code == 403
    assert not CalendarYear.objects.filter(year=2028).exists()
    assert "/suggestions/calendar/" not in client.get("/suggestions/").content.decode()


def test_the_overview_costs_the_same_for_one_or_three_years(world, client):
    client.force_login(world.office)
    enter(world.office)
    counts = []
    for year in (2028, 2029, None):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/suggestions/calendar/").status_code == 200
        counts.append(len(queries))
        if year:
            enter(world.office, year=year, text=f"{year}-01-01 元旦")
    assert counts[0] == counts[-1], counts


def test_admin_enters_a_year_through_the_service(world, client):
    client.force_login(world.admin)
    response = client.post(
        "/admin/suggestions/calendaryear/add/",
        {"year": "2027", "source": "", "note": "", "schedule": "2027-01-04 上班"},
    )
    assert response.status_code == 200 and "第1行：2027-01-04是周一至周五" in response.content.decode()
    assert not CalendarYear.objects.exists()
    response = client.post(
        "/admin/suggestions/calendaryear/add/", {"year": "2027", "source": "", "note": "", "schedule": SCHEDULE_2027}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    calendar_year = CalendarYear.objects.get()
    assert calendar_year.entered_by == world.admin and calendar_year.days.count() == 13
    page = client.get(f"/admin/suggestions/calendaryear/{calendar_year.pk}/change/").content.decode()
    assert "2027-02-06~2027-02-13 春节" in page
    response = client.post(
        f"/admin/suggestions/calendaryear/{calendar_year.pk}/change/",
        {"source": "更正", "note": "", "schedule": "2027-01-01 元旦"},
    )
    assert response.status_code == 302
    assert list(CalendarDay.objects.values_list("name", flat=True)) == ["元旦"]


def test_a_year_the_package_covers_starts_from_the_package_schedule(client, make_user):
    """Entering a year replaces the package for it: the form starts from the package's holidays, so that
    correcting one day does not drop the others; entered as is, every day keeps its package status."""
    from datetime import timedelta

    import chinese_calendar

    from suggestions.deadlines import WorkingCalendar
    from suggestions.holidays import parse_schedule

    office = make_user(Role.OFFICE, username="calendar_office")
    client.force_login(office)
    response = client.get("/suggestions/calendar/enter/", {"year": "2026"})
    assert response.status_code == 200
    text = response.context["form"].initial["schedule"]
    assert "2026-10-01~2026-10-07 国庆节" in text and "调休上班" in text
    services.calendar_year_enter(actor=office, year=2026, entries=parse_schedule(text))
    calendar = WorkingCalendar()
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    # A malformed year in the address falls back to next year instead of failing.
    assert client.get("/suggestions/calendar/enter/", {"year": "²"}).status_code == 200


# --- The mark in the printed reports ---------------------------------------------------------------


def test_the_street_pdf_marks_a_provisional_deadline(world, frozen_today):
    frozen_today("2027-01-04 10:00 +08:00")  # a Monday; 2027 is not entered
    late = drive(world, State.SUBMITTED)
    assert (late.assign_due, late.assign_due_provisional) == (date(2027, 1, 11), True)
    frozen_today("2027-01-29 10:00 +08:00")  # now overdue: listed in the street report

    document = street_document(2027)
    text = flat("".join(page_texts(html_to_pdf(document.html()).data)))
    assert flat(late.title) in text
    assert "2027年1月11日（暂按法定节假日推算）" in text
