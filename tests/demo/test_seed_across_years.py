"""The demo, and the lifecycle on it, keep working when the clock passes the last official calendar year.

The pinned chinesecalendar knows 2004–2026. From late December 2026 working-day deadlines reach into 2027,
which nobody has entered: they are counted on the statutory holidays (provisional) instead of being refused,
and counted again once the office enters the official 2027 schedule.
"""

from datetime import date

import pytest
from django.core import checks
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from organisation.models import HandlingUnit
from suggestions import deadlines, holidays, services
from suggestions.models import Action, State, Suggestion, SuggestionEvent

pytestmark = pytest.mark.django_db

# The shape of a State Council notice: 元旦 01-01..01-03, 春节 02-06..02-13 with Sunday 02-14 and
# Saturday 02-20 worked in exchange.
SCHEDULE_2027 = """
2027-01-01~2027-01-03 元旦
2027-02-06~2027-02-13 春节
2027-02-14 上班
2027-02-20 上班
"""


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _submit_new(title: str) -> Suggestion:
    deputy = _user("demo_deputy")
    draft = services.suggestion_create(actor=deputy, title=title, content=f"{title}，请相关部门研究解决。")
    return services.suggestion_submit(suggestion=draft, actor=deputy)


def _assign(suggestion: Suggestion) -> Suggestion:
    unit = HandlingUnit.objects.filter(is_active=True).order_by("pk").first()
    return services.suggestion_assign(suggestion=suggestion, actor=_user("demo_office"), lead_unit=unit)


def _calendar_warnings() -> list[str]:
    return [message.id for message in checks.run_checks() if message.id.startswith("suggestions.")]


def _every_demo_user_gets_a_home_page():
    client = Client()
    for username in ("demo_staff", "demo_deputy", "demo_office", "demo_unit", "demo_leader", "demo_admin"):
        client.force_login(_user(username))
        assert client.get("/").status_code == 200, username
        assert client.get("/suggestions/").status_code == 200, username


def test_the_demo_seeds_on_28_december_and_deadlines_are_counted_again_in_2027(frozen_today):
    frozen_today("2026-12-28 10:00 +08:00")
    call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
    _every_demo_user_gets_a_home_page()
    assert _calendar_warnings() == ["suggestions.W001"]  # next year is provisional

    submitted = _submit_new("小区门口路灯损坏")
    # Mon 12-28: 12-29, 12-30, 12-31, (元旦 and the weekend), 01-04, 01-05.
    assert (submitted.assign_due, submitted.assign_due_provisional) == (date(2027, 1, 5), True)
    assigned = _assign(_submit_new("菜市场周边占道经营"))
    assert assigned.return_request_due.year == 2027 and assigned.return_request_due_provisional

    frozen_today("2027-01-29 10:00 +08:00")  # a Friday before the Spring Festival
    assert _calendar_warnings() == ["suggestions.W002"]  # this year is provisional
    before_spring = _submit_new("春节期间垃圾清运")
    assert (before_spring.assign_due, before_spring.assign_due_provisional) == (date(2027, 2, 11), True)

    services.calendar_year_enter(
        actor=_user("demo_office"), year=2027, entries=holidays.parse_schedule(SCHEDULE_2027), source="国办发明电"
    )
    before_spring.refresh_from_db()
    assert (before_spring.assign_due, before_spring.assign_due_provisional) == (date(2027, 2, 5), False)
    assert SuggestionEvent.objects.filter(suggestion=before_spring, action=Action.RECOMPUTE_DEADLINE).count() == 1
    submitted.refresh_from_db()
    assert (submitted.assign_due, submitted.assign_due_provisional) == (date(2027, 1, 5), False)
    assert not Suggestion.objects.filter(state=State.SUBMITTED, assign_due_provisional=True).exists()
    assert _calendar_warnings() == []


def test_the_demo_seeds_in_mid_2027_without_the_official_schedule(frozen_today):
    frozen_today("2027-06-30 10:00 +08:00")
    call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
    _every_demo_user_gets_a_home_page()
    assert _calendar_warnings() == ["suggestions.W002"]
    # The demo's own open items were counted on the provisional 2027.
    assert Suggestion.objects.filter(state=State.SUBMITTED, assign_due_provisional=True).exists()

    assigned = _assign(_submit_new("社区卫生服务站夜间门诊"))
    assert assigned.assign_due_provisional and assigned.return_request_due_provisional
    response = Client()
    response.force_login(_user("demo_deputy"))
    body = response.get(f"/api/v1/suggestions/{assigned.pk}/").json()
    assert body["return_request_due_provisional"] is True

    services.calendar_year_enter(
        actor=_user("demo_admin"), year=2027, entries=holidays.parse_schedule(SCHEDULE_2027), source="国办发明电"
    )
    assigned.refresh_from_db()
    assert not assigned.return_request_due_provisional
    assert not Suggestion.objects.filter(assign_due_provisional=True, state=State.SUBMITTED).exists()


def test_the_demo_seeds_two_years_after_the_newest_official_calendar(frozen_today):
    newest = deadlines.package_years()[1]
    frozen_today(f"{newest + 2}-12-28 10:00 +08:00")
    call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
    _every_demo_user_gets_a_home_page()
    suggestion = _assign(_submit_new("老旧小区加装电梯"))
    assert suggestion.return_request_due.year == newest + 3
    assert suggestion.return_request_due_provisional
