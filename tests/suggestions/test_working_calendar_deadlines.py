"""The working-day calendar the office enters: deadlines across an entered year, one query each.

The 2027 schedule used here is described in ``working_calendar_support``.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from notifications.models import Notification
from suggestions import deadlines, services
from suggestions.checks import working_calendar_covers_today
from suggestions.models import Action, CalendarDay, State, SuggestionEvent
from suggestions.reminders import last_reply_day_to_remind
from tests.builders.suggestions import drive
from tests.suggestions import working_calendar_support
from tests.suggestions.working_calendar_support import enter

# The shared fixtures: the pinned package's range and messages in Chinese.
package_ends_in_2026 = working_calendar_support.package_ends_in_2026
in_chinese = working_calendar_support.in_chinese


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
