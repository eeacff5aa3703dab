"""补录: the office (and station staff for their stations) records a suggestion's past steps with their dates.

Deadlines are counted from those dates on that year's working-day calendar, so 按期/逾期 come out right
for history; a wrong date changes nothing; anyone else sending a date gets a 400; every such step is
marked in the timeline with who entered it and when.
"""

from datetime import date, datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from suggestions import services
from suggestions.models import State, Suggestion, SuggestionEvent
from suggestions.selectors import suggestion_stats
from tests.builders.suggestions import drive

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _post(user, path, body):
    return _client(user).post(f"/api/v1/suggestions/{path}", body, format="json")


def _record_past(world, user, happened_on="2023-09-28", deputy=None):
    return _post(
        user,
        "",
        {
            "title": "关于整治老旧小区停车难的建议",
            "content": "建议在小区周边增设夜间临时停车位。",
            "lead_deputy": (deputy or world.lead_deputy).pk,
            "cosigners": [world.cosigner_deputy.pk],
            "happened_on": happened_on,
        },
    )


def _snapshot(pk) -> tuple:
    s = Suggestion.objects.get(pk=pk)
    return (s.state, s.assign_due, s.assigned_on, s.reply_due, s.first_replied_on, s.closed_at, s.events.count())


def test_a_past_year_recorded_step_by_step_across_national_day(world, frozen_today):
    frozen_today(TODAY)
    response = _record_past(world, world.office)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    body = response.json()
    assert body["state"] == State.SUBMITTED
    # 2023: 09-29 .. 10-06 off (中秋 and 国庆), 10-07 and 10-08 make-up working days.
    assert body["assign_due"] == "2023-10-11"
    assert body["submitted_at"].startswith("2023-09-28")
    assert [c["status"] for c in body["cosigners"]] == ["confirmed"]

    # Assigned a day after the deadline: accepted, and flagged as late.
    response = _post(world.office, f"{pk}/assign/", {"lead_unit": world.lead_unit.pk, "happened_on": "2023-10-12"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assigned_on"] == "2023-10-12"
    assert body["reply_due"] == "2024-01-12"
    # Seven working days after 10-12 on the 2023 calendar.
    assert body["return_request_due"] == "2023-10-23"
    assert body["timeline"][-1]["data"]["late"] is True

    assert _post(world.office, f"{pk}/acknowledge/", {"happened_on": "2023-10-13"}).status_code == 200
    response = _post(
        world.office,
        f"{pk}/reply/",
        {"reply_class": "A", "content": "已增设夜间停车位120个。", "happened_on": "2024-01-12"},
    )
    assert response.status_code == 200, response.content
    reply = response.json()["replies"][0]
    assert reply["replied_on"] == "2024-01-12"
    assert reply["on_time"] is True
    assert reply["unit"] == world.lead_unit.name

    response = _post(world.office, f"{pk}/evaluate/", {"rating": "satisfied", "happened_on": "2024-01-20"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == State.CLOSED
    assert body["closed_at"].startswith("2024-01-20")

    # The year's figures count the past dates: one assigned in 2023, replied on time, closed, satisfied.
    stats = suggestion_stats(world.office, year=2023)
    assert (stats["assigned"], stats["replied"], stats["closed"]) == (1, 1, 1)
    assert stats["on_time_rate"] == 1.0
    assert stats["satisfaction_rate"] == 1.0

    # Every step is marked as entered afterwards, by the office, today; in the order they happened.
    events = list(SuggestionEvent.objects.filter(suggestion_id=pk).order_by("at", "id"))
    assert [e.action for e in events] == ["create", "submit", "assign", "acknowledge", "reply", "evaluate"]
    assert all(e.back_recorded and e.actor_id == world.office.pk for e in events)
    assert all(timezone.localdate(e.entered_at) == TODAY for e in events)
    assert [timezone.localdate(e.at) for e in events][-1] == date(2024, 1, 20)
    timeline = body["timeline"]
    assert all(item["back_recorded"] for item in timeline)
    assert timeline[0]["entered_at"].startswith("2026-12-07")


def test_a_late_reply_recorded_afterwards_is_late_and_deadlines_cross_the_year(world, frozen_today):
    frozen_today(TODAY)
    pk = _record_past(world, world.office, happened_on="2023-12-28").json()["id"]
    # 12-29 (Fri), then 2024-01-01 is New Year's Day: 01-02 .. 01-05.
    assert Suggestion.objects.get(pk=pk).assign_due == date(2024, 1, 5)
    _post(world.office, f"{pk}/assign/", {"lead_unit": world.lead_unit.pk, "happened_on": "2024-01-05"})
    _post(world.office, f"{pk}/acknowledge/", {"happened_on": "2024-01-08"})
    response = _post(
        world.office, f"{pk}/reply/", {"reply_class": "B", "content": "列入明年计划。", "happened_on": "2024-04-08"}
    )
    assert response.status_code == 200, response.content
    suggestion = Suggestion.objects.get(pk=pk)
    assert suggestion.reply_due == date(2024, 4, 5)
    assert suggestion.first_reply_on_time is False
    assert "late" not in suggestion.events.get(action="assign").data
    # 不满意 on the first reply: the second is due a month after the evaluation's own date.
    response = _post(world.office, f"{pk}/evaluate/", {"rating": "unsatisfied", "happened_on": "2024-12-31"})
    assert response.status_code == 200, response.content
    suggestion.refresh_from_db()
    assert suggestion.state == State.REHANDLING
    assert suggestion.reply_due == date(2025, 1, 31)


@pytest.mark.parametrize(
    ("happened_on", "reason"),
    [("2026-12-08", "future"), ("2023-09-27", "before the previous step"), ("1999-12-31", "implausible")],
)
def test_a_wrong_date_is_a_400_and_changes_nothing(world, frozen_today, happened_on, reason):
    frozen_today(TODAY)
    pk = _record_past(world, world.office).json()["id"]
    before = _snapshot(pk)
    response = _post(world.office, f"{pk}/assign/", {"lead_unit": world.lead_unit.pk, "happened_on": happened_on})
    assert response.status_code == 400, reason
    assert "happened_on" in response.json()
    assert _snapshot(pk) == before


def test_a_past_suggestion_dated_in_the_future_is_not_created(world, frozen_today):
    frozen_today(TODAY)
    count = Suggestion.objects.count()
    response = _record_past(world, world.office, happened_on="2027-01-04")
    assert response.status_code == 400
    assert Suggestion.objects.count() == count


def test_those_who_may_not_back_record_get_a_400_not_a_silently_dropped_date(world, frozen_today):
    frozen_today(date(2026, 3, 2))
    s = drive(world, State.REPLIED)
    before = _snapshot(s.pk)
    # The lead deputy may evaluate, but not with an earlier date.
    response = _post(world.deputy, f"{s.pk}/evaluate/", {"rating": "satisfied", "happened_on": "2026-03-01"})
    assert response.status_code == 400
    assert "happened_on" in response.json()
    assert _snapshot(s.pk) == before
    # The same for a unit's reply, and for the service called directly.
    s2 = drive(world, State.IN_PROGRESS, title="关于增设公交站点的建议")
    response = _post(
        world.lead_officer, f"{s2.pk}/reply/", {"reply_class": "A", "content": "已办理", "happened_on": "2026-03-01"}
    )
    assert response.status_code == 400
    with pytest.raises(Exception, match="happened_on"):
        services.suggestion_evaluate(suggestion=s, actor=world.deputy, rating="satisfied", happened_on=date(2026, 3, 1))
    assert _snapshot(s.pk) == before
    # A deputy cannot record a past suggestion either.
    count = Suggestion.objects.count()
    assert _record_past(world, world.deputy).status_code == 400
    assert Suggestion.objects.count() == count


def test_station_staff_back_record_for_their_stations_only(world, frozen_today):
    frozen_today(TODAY)
    response = _record_past(world, world.staff_a)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    # Staff of another station do not see it, and cannot record a past suggestion for that deputy.
    assert (
        _post(
            world.staff_b, f"{pk}/assign/", {"lead_unit": world.lead_unit.pk, "happened_on": "2023-10-09"}
        ).status_code
        == 404
    )
    assert _record_past(world, world.staff_b).status_code == 400
    # Staff of B may for B's deputy.
    assert _record_past(world, world.staff_b, deputy=world.other_deputy_record).status_code == 201
    # Staff of A record the assignment; without a date staff cannot assign at all.
    assert _post(world.staff_a, f"{pk}/assign/", {"lead_unit": world.lead_unit.pk}).status_code == 403
    response = _post(world.staff_a, f"{pk}/assign/", {"lead_unit": world.lead_unit.pk, "happened_on": "2023-10-09"})
    assert response.status_code == 200, response.content
    assert response.json()["assigned_on"] == "2023-10-09"


def test_a_step_the_state_does_not_allow_is_refused_when_back_recorded_too(world, frozen_today):
    frozen_today(TODAY)
    pk = _record_past(world, world.office).json()["id"]
    before = _snapshot(pk)
    # Not yet assigned: no unit could have asked to return it.
    response = _post(world.office, f"{pk}/request_return/", {"reason": "不属本单位职责", "happened_on": "2023-10-10"})
    assert response.status_code == 409
    assert _snapshot(pk) == before
    assert not Suggestion.objects.get(pk=pk).return_requests.exists()


def test_steps_taken_today_are_not_marked(world, frozen_today):
    frozen_today(TODAY)
    s = drive(world, State.CLOSED)
    assert not s.events.filter(entered_at__isnull=False).exists()
    # The office's own step without a date is taken now, as before.
    at = s.events.get(action="assign").at
    assert timezone.localdate(at) == TODAY
    assert isinstance(at, datetime)
