from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import ActionRefused
from suggestions import deadlines, services
from suggestions.checks import working_calendar_covers_today
from suggestions.models import Extension, State, Suggestion, SuggestionEvent
from suggestions.selectors import suggestions_due_soon, suggestions_overdue
from tests.builders.suggestions import drive

# Working days read the schedules the office entered (none here), so every test may query.
pytestmark = pytest.mark.django_db

# --- The examples from the issue --------------------------------------------------------------


def test_reply_due_three_calendar_months_after_assignment_clamped_to_month_end():
    assert deadlines.reply_due(date(2024, 1, 31)) == date(2024, 4, 30)


def test_assignment_due_five_working_days_skipping_national_day_and_counting_the_make_up_day():
    # 2024-09-28 (Sat) rest, 09-29 (Sun) make-up workday, 09-30 workday, 10-01..07 National Day, 10-08..10 workdays.
    assert deadlines.assignment_due(date(2024, 9, 27)).due == date(2024, 10, 10)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),  # crosses the year
        (date(2024, 3, 15), 3, date(2024, 6, 15)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert deadlines.add_months(start, months) == expected


def test_working_days_follow_the_official_calendar():
    assert deadlines.is_working_day(date(2024, 9, 29))  # Sunday, make-up workday (调休)
    assert not deadlines.is_working_day(date(2024, 10, 1))  # National Day
    assert not deadlines.is_working_day(date(2024, 9, 28))  # ordinary Saturday
    assert deadlines.is_working_day(date(2024, 9, 30))
    # Spring Festival 2024: 02-10..02-17 off, 02-04 (Sun) and 02-18 (Sun) make-up days.
    assert deadlines.add_working_days(date(2024, 2, 8), 1) == date(2024, 2, 9)
    assert deadlines.add_working_days(date(2024, 2, 9), 1) == date(2024, 2, 18)


def test_return_requests_seven_working_days_and_co_opinion_one_month():
    assert deadlines.return_request_due(date(2024, 9, 27)).due == date(2024, 10, 12)  # 10-12 (Sat) is a make-up day
    assert deadlines.co_opinion_due(date(2024, 1, 31)) == date(2024, 2, 29)
    assert deadlines.rereply_due(date(2024, 3, 31)) == date(2024, 4, 30)
    assert deadlines.extension_limit(date(2024, 1, 31)) == date(2024, 7, 31)


@override_settings(
    SUGGESTION_DEADLINES={
        "REPLY_MONTHS": 2,
        "EXTENSION_MAX_MONTHS": 4,
        "REREPLY_MONTHS": 2,
        "ASSIGN_WORKING_DAYS": 3,
        "RETURN_REQUEST_WORKING_DAYS": 5,
        "CO_OPINION_MONTHS": 2,
        "DUE_SOON_DAYS": 3,
    }
)
def test_every_period_comes_from_settings():
    assert deadlines.reply_due(date(2024, 1, 31)) == date(2024, 3, 31)
    assert deadlines.extension_limit(date(2024, 1, 31)) == date(2024, 5, 31)
    assert deadlines.rereply_due(date(2024, 1, 31)) == date(2024, 3, 31)
    assert deadlines.assignment_due(date(2024, 9, 27)).due == date(2024, 10, 8)
    assert deadlines.return_request_due(date(2024, 9, 27)).due == date(2024, 10, 10)
    assert deadlines.co_opinion_due(date(2024, 1, 31)) == date(2024, 3, 31)
    assert deadlines.due_soon_days() == 3


# --- A year the calendar does not cover ------------------------------------------------------


def test_a_year_outside_the_calendar_is_counted_provisionally_on_the_statutory_holidays():
    first, last = deadlines.package_years()
    # The package's last year alone: official.
    assert deadlines.assignment_due(date(last, 6, 1)).provisional is False
    # Across New Year into a year nobody entered: counted, and marked provisional.
    counted = deadlines.add_working_days(date(last, 12, 28), 5)
    assert counted.year == last + 1
    assert deadlines.assignment_due(date(last, 12, 28)).provisional is True
    assert not deadlines.is_working_day(date(last + 1, 1, 1))  # 元旦 by the law
    assert not deadlines.is_working_day(date(last + 1, 10, 1))  # 国庆 by the law
    assert deadlines.is_working_day(date(first - 1, 6, 1)) == (date(first - 1, 6, 1).weekday() < 5)
    # Calendar months need no calendar data.
    assert deadlines.add_months(date(last, 12, 31), 3) == date(last + 1, 3, 31)


def test_system_check_warns_while_this_or_next_year_is_provisional(frozen_today):
    _first, last = deadlines.package_years()
    frozen_today(date(last, 6, 1))
    assert working_calendar_covers_today() == []
    frozen_today(date(last, 10, 31))
    assert working_calendar_covers_today() == []
    frozen_today(date(last, 11, 1))
    [warning] = working_calendar_covers_today()
    assert warning.id == "suggestions.W001" and str(last + 1) in warning.msg
    frozen_today(date(last + 1, 1, 5))
    [warning] = working_calendar_covers_today()
    assert warning.id == "suggestions.W002" and str(last + 1) in warning.msg
    frozen_today(date(last + 1, 12, 20))
    this_year, next_year = working_calendar_covers_today()
    assert (this_year.id, next_year.id) == ("suggestions.W002", "suggestions.W001")
    assert str(last + 2) in next_year.msg


# --- Deadlines set by the services -------------------------------------------------------------


def test_services_set_the_deadlines(world):
    today = timezone.localdate()
    suggestion = drive(world, State.SUBMITTED)
    assert suggestion.assign_due == deadlines.assignment_due(today).due
    suggestion = drive(world, State.ASSIGNED, title="交办")
    assert suggestion.assigned_on == today
    assert suggestion.reply_due == deadlines.reply_due(today)
    assert suggestion.return_request_due == deadlines.return_request_due(today).due
    assert set(suggestion.assignments.filter(role="co").values_list("opinion_due", flat=True)) == {
        deadlines.co_opinion_due(today)
    }
    suggestion = drive(world, State.REHANDLING, title="重办")
    assert suggestion.reply_due == deadlines.rereply_due(today)


def test_extension_up_to_six_months_is_allowed_beyond_is_refused(world):
    suggestion = drive(world, State.IN_PROGRESS)
    limit = deadlines.extension_limit(suggestion.assigned_on)
    events = SuggestionEvent.objects.filter(suggestion=suggestion).count()

    with pytest.raises(ValidationError) as refused:
        services.suggestion_extend(
            suggestion=suggestion, actor=world.lead_officer, new_due=limit + timedelta(days=1), reason="情况复杂"
        )
    assert "new_due" in refused.value.message_dict
    assert not Extension.objects.filter(suggestion=suggestion).exists()
    assert SuggestionEvent.objects.filter(suggestion=suggestion).count() == events

    # Through the API: 400 with the Chinese reason, nothing written.
    client = APIClient()
    client.force_authenticate(world.office)
    response = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/extend/",
        {"new_due": (limit + timedelta(days=1)).isoformat(), "reason": "情况复杂"},
        format="json",
    )
    assert response.status_code == 400
    assert "6个月" in response.json()["new_due"][0]
    suggestion.refresh_from_db()
    assert suggestion.reply_due == deadlines.reply_due(suggestion.assigned_on)

    # Exactly six months: the unit asks, the office approves, the deputy sees the reason.
    extension = services.suggestion_extend(
        suggestion=suggestion, actor=world.lead_officer, new_due=limit, reason="需市级部门审批"
    )
    assert extension.status == "pending"
    suggestion.refresh_from_db()
    assert suggestion.reply_due == deadlines.reply_due(suggestion.assigned_on)  # not yet approved
    services.suggestion_decide_extension(extension=extension, actor=world.office, approve=True)
    suggestion.refresh_from_db()
    assert suggestion.reply_due == limit
    client.force_authenticate(world.deputy)
    detail = client.get(f"/api/v1/suggestions/{suggestion.pk}/").json()
    assert detail["extensions"][0]["reason"] == "需市级部门审批"
    assert detail["extensions"][0]["status"] == "approved"


def test_the_office_extends_directly_and_a_second_pending_request_is_refused(world):
    suggestion = drive(world, State.ASSIGNED)
    first = services.suggestion_extend(
        suggestion=suggestion, actor=world.lead_officer, new_due=suggestion.reply_due + timedelta(days=5), reason="甲"
    )
    with pytest.raises(ActionRefused):
        services.suggestion_extend(
            suggestion=suggestion,
            actor=world.lead_officer,
            new_due=suggestion.reply_due + timedelta(days=9),
            reason="乙",
        )
    direct = services.suggestion_extend(
        suggestion=suggestion, actor=world.office, new_due=suggestion.reply_due + timedelta(days=20), reason="丙"
    )
    assert direct.status == "approved"
    first.refresh_from_db()
    assert first.status == "rejected"  # superseded
    suggestion.refresh_from_db()
    assert suggestion.reply_due == direct.new_due


def test_return_requests_only_within_the_window(world):
    suggestion = drive(world, State.ASSIGNED)
    Suggestion.objects.filter(pk=suggestion.pk).update(return_request_due=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ActionRefused) as refused:
        services.suggestion_request_return(suggestion=suggestion, actor=world.lead_officer, reason="非本单位职责")
    assert "工作日" in refused.value.message
    assert not suggestion.return_requests.exists()


# --- Overdue is derived ------------------------------------------------------------------------


def test_overdue_is_derived_from_the_deadline_and_the_date(world):
    today = timezone.localdate()
    late = drive(world, State.IN_PROGRESS, title="逾期")
    soon = drive(world, State.ASSIGNED, title="将到期")
    fine = drive(world, State.ASSIGNED, title="正常")
    unassigned = drive(world, State.SUBMITTED, title="未交办")
    closed = drive(world, State.CLOSED, title="已办结")
    Suggestion.objects.filter(pk=late.pk).update(reply_due=today - timedelta(days=1))
    Suggestion.objects.filter(pk=soon.pk).update(reply_due=today + timedelta(days=2))
    Suggestion.objects.filter(pk=unassigned.pk).update(assign_due=today - timedelta(days=3))
    Suggestion.objects.filter(pk=closed.pk).update(reply_due=today - timedelta(days=30))  # closed: owes nothing

    assert set(suggestions_overdue(today).values_list("pk", flat=True)) == {late.pk, unassigned.pk}
    assert set(suggestions_due_soon(today).values_list("pk", flat=True)) == {soon.pk}
    # The same suggestion is not overdue when looked at the day before its deadline passes.
    assert late.pk not in set(suggestions_overdue(today - timedelta(days=2)).values_list("pk", flat=True))

    client = APIClient()
    client.force_authenticate(world.office)
    rows = client.get("/api/v1/suggestions/?overdue=true").json()["results"]
    assert {row["id"] for row in rows} == {late.pk, unassigned.pk}
    assert all(row["overdue"] for row in rows)
    rows = client.get("/api/v1/suggestions/?overdue=false").json()["results"]
    assert {row["id"] for row in rows} == {soon.pk, fine.pk, closed.pk}
    assert not any(row["overdue"] for row in rows)

    # Replying clears it: nothing stored needs updating.
    services.suggestion_reply(suggestion=late, actor=world.lead_officer, reply_class="A", content="已解决")
    assert late.pk not in set(suggestions_overdue(today).values_list("pk", flat=True))
    late.refresh_from_db()
    assert late.first_reply_on_time is False
