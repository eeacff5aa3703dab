"""Grid duties "四个一" (done vs due per month/quarter/year) and activities with attendance."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.errors import PermissionRefused
from duties.models import ActivityAttendance, GridDuty
from duties.selectors import activities_visible_to, duty_compliance, duty_period_bounds
from duties.services.grid_duties import activity_create, activity_set_attendance, grid_duty_record
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

TODAY = date(2024, 5, 20)


def status(deputy, today=TODAY):
    return {d["kind"]: (d["done"], d["met"]) for d in duty_compliance([deputy.id], today)[deputy.id]}


def test_period_bounds():
    assert duty_period_bounds("month", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert duty_period_bounds("quarter", date(2024, 5, 20)) == (date(2024, 4, 1), date(2024, 6, 30))
    assert duty_period_bounds("quarter", date(2024, 12, 31)) == (date(2024, 10, 1), date(2024, 12, 31))
    assert duty_period_bounds("year", date(2023, 7, 1)) == (date(2023, 1, 1), date(2023, 12, 31))


def test_done_and_due_per_period(street, frozen_today):
    frozen_today(TODAY)
    # The station records them: April's patrol and 2023's report are of closed periods (补录).
    record = lambda kind, day: grid_duty_record(  # noqa: E731
        deputy=street.owner, grid=street.grid_a1, kind=kind, date=day, actor=street.staff_a
    )
    assert status(street.owner) == {k: (0, False) for k in ("patrol", "grid_meeting", "research", "report")}
    record("patrol", date(2024, 4, 30))  # last month: does not count for May
    record("patrol", date(2024, 5, 2))
    record("patrol", date(2024, 5, 19))
    record("research", date(2024, 4, 3))  # this quarter (April–June)
    record("report", date(2023, 12, 30))  # last year: does not count
    assert status(street.owner) == {
        "patrol": (2, True),
        "grid_meeting": (0, False),
        "research": (1, True),
        "report": (0, False),
    }
    # On 1 July a new month and quarter begin: patrol and research are due again.
    assert status(street.owner, date(2024, 7, 1)) == {
        k: (0, False) for k in ("patrol", "grid_meeting", "research", "report")
    }
    # Other deputies are not affected.
    assert status(street.colleague)["patrol"] == (0, False)


def test_duties_are_recorded_only_in_the_deputys_grids_and_not_in_the_future(street, frozen_today):
    frozen_today(TODAY)
    for kwargs, field in [
        ({"grid": street.grid_b1}, "grid"),  # not assigned there
        ({"date": date(2019, 12, 31)}, "grid"),  # before the assignment started
        ({"date": date(2024, 5, 21)}, "date"),  # tomorrow
        ({"kind": "sightseeing"}, "kind"),
    ]:
        arguments = {"deputy": street.owner, "grid": street.grid_a1, "kind": "patrol", "date": TODAY} | kwargs
        with pytest.raises(ValidationError) as caught:
            grid_duty_record(actor=street.owner_user, **arguments)
        assert field in caught.value.message_dict
    assert not GridDuty.objects.exists()


def test_who_may_record_a_duty(street, frozen_today):
    frozen_today(TODAY)
    arguments = {"deputy": street.owner, "grid": street.grid_a1, "kind": "patrol", "date": TODAY}
    for outsider in (street.colleague_user, street.staff_b, street.leader, street.unit_officer):
        with pytest.raises(PermissionRefused):
            grid_duty_record(actor=outsider, **arguments)
    grid_duty_record(actor=street.owner_user, **arguments)  # the deputy themself
    grid_duty_record(actor=street.staff_a, **arguments)  # the grid's station staff
    grid_duty_record(actor=street.office, **arguments)
    assert GridDuty.objects.count() == 3


def test_activities_with_attendance(street):
    activity = activity_create(
        station=street.a,
        kind="law_enforcement_check",
        title="《食品安全法》执法检查",
        date=TODAY,
        actor=street.staff_a,
        attendance={street.owner: "present", street.colleague.id: "excused"},
    )
    assert dict(activity.attendance.values_list("deputy__name", "status")) == {"王代表": "present", "李代表": "excused"}
    activity_set_attendance(activity=activity, attendance={street.colleague: "present"}, actor=street.staff_a)
    assert dict(activity.attendance.values_list("deputy__name", "status")) == {"李代表": "present"}
    with pytest.raises(ValidationError):
        activity_set_attendance(activity=activity, attendance={street.owner: "asleep"}, actor=street.staff_a)
    with pytest.raises(ValidationError):
        activity_create(station=street.a, kind="picnic", title="x", date=TODAY, actor=street.staff_a)
    with pytest.raises(ValidationError):
        activity_create(station=street.a, kind="training", title="", date=TODAY, actor=street.staff_a)
    with pytest.raises(PermissionRefused):
        activity_set_attendance(activity=activity, attendance={}, actor=street.staff_b)
    assert ActivityAttendance.objects.get().deputy == street.colleague
    # Deputies see the activities they attended; staff their stations'; the office everything.
    assert list(activities_visible_to(street.colleague_user)) == [activity]
    assert list(activities_visible_to(street.owner_user)) == []
    assert list(activities_visible_to(street.staff_b)) == []
    assert list(activities_visible_to(street.office)) == [activity]
