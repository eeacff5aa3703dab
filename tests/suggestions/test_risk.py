"""The deadline-risk list (逾期风险): the score, its reasons, the list page and API, and the reminder."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.test import APIClient

from notifications.models import Notification, ReminderSent
from notifications.reminders import run_sweep
from suggestions import reminders, risk, selectors, services
from suggestions.models import State, Suggestion
from tests.builders.suggestions import drive, handled

pytestmark = pytest.mark.django_db

# Assigned on a Friday in November 2026: the reply is due on 20 February 2027, after the Spring Festival
# of 2027 (a year the installed calendar lacks: counted on the statutory holidays, 5–10 February off).
ASSIGNED = date(2026, 11, 20)
BEFORE_FESTIVAL = date(2027, 1, 25)


def past(w, unit, *, on_time: int, late: int, category: str = "urban_construction", replied=date(2026, 6, 1)):
    """A unit's record: closed suggestions assigned three months before ``replied``, answered on time
    that day, or a month late."""
    assigned = replied - timedelta(days=92)
    rows = []
    for index in range(on_time + late):
        is_late = index >= on_time
        replied_on = replied + timedelta(days=30) if is_late else replied
        rows.append(
            Suggestion(
                lead_deputy=w.lead_deputy,
                title=f"往年建议{unit.pk}-{category}-{index}",
                content="内容",
                category=category,
                state=State.CLOSED,
                submitted_at=timezone.make_aware(datetime.combine(assigned, datetime.min.time())),
                assigned_on=assigned,
                lead_unit=unit,
                reply_due=replied,
                reply_round=1,
                first_replied_on=replied_on,
                first_reply_on_time=not is_late,
            )
        )
    Suggestion.objects.bulk_create(rows)


def open_at(w, frozen_today, day, **kwargs):
    """An open suggestion assigned on ``day``: led by ``w.lead_unit`` with ``w.co_unit`` (no opinion
    yet), or by ``unit`` alone when given."""
    frozen_today(day)
    unit = kwargs.pop("unit", None)
    if unit is None:
        return drive(w, State.IN_PROGRESS, **kwargs)
    officer = {w.other_unit.pk: w.other_officer, w.lead_unit.pk: w.lead_officer}[unit.pk]
    return handled(w, unit=unit, officer=officer, reply=False, **kwargs)


def assessed(user, **filters):
    return selectors.suggestions_at_risk(user, **filters)


# --- The score and its reasons ------------------------------------------------------------------------


def test_reasons_in_words_before_the_spring_festival(world, frozen_today):
    past(world, world.lead_unit, on_time=8, late=5)
    past(world, world.other_unit, on_time=20, late=0)  # the rest of the city is punctual
    suggestion = open_at(world, frozen_today, ASSIGNED)
    assert suggestion.reply_due == date(2027, 2, 20)
    frozen_today(BEFORE_FESTIVAL)
    with translation.override("zh-hans"):
        (assessment,) = assessed(world.office)
    # 26–29 Jan, 1–4 Feb, 11–12 Feb, 15–19 Feb: 5 February and 8–10 February are off for the festival.
    assert assessment.features.working_days_left == 15
    assert assessment.features.holiday_days == 4
    assert assessment.features.holidays == ("春节",)
    assert assessment.features.days_spent == 66
    assert assessment.features.co_opinions_missing == 1
    # 8 of 13 on time; all 13 were still unanswered 66 days after 交办, 5 of them ended late.
    assert assessment.reasons == [
        "主办单位近一年同类建议按期率 62%",
        "其中办理 66 天仍未答复的有 38% 逾期",
        "协办意见未到",
        "距答复期限 15 个工作日，其间含春节",
    ]
    assert assessment.reason_text == "；".join(assessment.reasons)


def test_across_the_year_boundary_new_year_is_a_holiday(world, frozen_today):
    past(world, world.lead_unit, on_time=8, late=5, replied=date(2026, 9, 1))
    suggestion = open_at(world, frozen_today, date(2026, 10, 20))
    assert suggestion.reply_due == date(2027, 1, 20)
    frozen_today(date(2026, 12, 28))
    with translation.override("zh-hans"):
        (assessment,) = assessed(world.office)
    # 29–31 Dec, then 1 January 2027 (a Friday) off, 4–8, 11–15 and 18–20 January.
    assert assessment.features.working_days_left == 16
    assert assessment.features.holidays == ("元旦",)
    assert "距答复期限 16 个工作日，其间含元旦" in assessment.reasons


def test_a_holiday_ahead_raises_the_risk_of_the_same_suggestion(world, frozen_today):
    past(world, world.lead_unit, on_time=8, late=5)
    open_at(world, frozen_today, ASSIGNED)
    frozen_today(BEFORE_FESTIVAL)
    (before,) = assessed(world.office)
    # The same features without the festival: only the holiday term differs.
    without = risk.Features(**{**before.features.__dict__, "holiday_days": 0, "holidays": ()})
    assert before.probability > risk.probability(without)


def test_the_score_follows_the_record_the_co_units_and_the_requests(world, frozen_today):
    record = risk.Record(late_rate=0.2, mean_reply_days=60, quoted_on_time=0.8, quoted_count=20, quoted_scope="unit")
    base = risk.Features(working_days_left=20, days_left=28, days_spent=60, holiday_days=0, holidays=(), record=record)
    worse_unit = risk.Features(**{**base.__dict__, "record": risk.Record(0.6, 60, 0.4, 20, "unit")})
    for worse in (
        worse_unit,
        risk.Features(**{**base.__dict__, "co_opinions_missing": 2}),
        risk.Features(**{**base.__dict__, "rehandling": True}),
        risk.Features(**{**base.__dict__, "extension": "pending"}),
        risk.Features(**{**base.__dict__, "holiday_days": 5}),
    ):
        assert risk.probability(worse) > risk.probability(base)
    assert 0 < risk.probability(base) < 1


def test_a_unit_without_history_is_judged_on_the_city(world, frozen_today):
    open_at(world, frozen_today, ASSIGNED)
    frozen_today(BEFORE_FESTIVAL)
    with translation.override("zh-hans"):
        (assessment,) = assessed(world.office)
    assert assessment.features.record.quoted_on_time is None
    assert "主办单位近一年答复记录过少，按全市水平估计" in assessment.reasons


def test_the_record_reads_nothing_after_the_day_it_is_read_for(world):
    # Due in the year, answered a month late: on 1 June it is not yet answered, so already late.
    past(world, world.lead_unit, on_time=0, late=6, replied=date(2026, 6, 1))
    # Due on 1 June itself: on that day not yet past, so not yet counted.
    assert (world.lead_unit.pk, "urban_construction") not in risk.unit_history(date(2026, 6, 1)).by_pair
    after_due = risk.unit_history(date(2026, 6, 2)).by_pair[world.lead_unit.pk, "urban_construction"]
    assert (after_due.decided, after_due.late) == (6, 6)
    assert after_due.days == [risk.NEVER] * 6  # answered on 1 July: unknown on 2 June
    answered = risk.unit_history(date(2026, 7, 2)).by_pair[world.lead_unit.pk, "urban_construction"]
    assert answered.days == [122] * 6
    # A year later they have left the window.
    assert not risk.unit_history(date(2027, 7, 2)).by_pair


def test_extensions_and_rehandling_are_reasons(world, frozen_today):
    suggestion = open_at(world, frozen_today, ASSIGNED)
    frozen_today(date(2027, 2, 1))
    services.suggestion_extend(
        suggestion=suggestion, actor=world.lead_officer, new_due=date(2027, 3, 20), reason="需协调资金"
    )
    rehandled = drive(world, State.REHANDLING, title="重新办理的建议")
    with translation.override("zh-hans"):
        by_id = {a.suggestion.pk: a for a in assessed(world.office)}
    assert by_id[suggestion.pk].features.extension == "pending"
    assert "已申请延期，待审批" in by_id[suggestion.pk].reasons
    assert by_id[rehandled.pk].features.rehandling
    assert "代表不满意，正在重新办理" in by_id[rehandled.pk].reasons


# --- The list: what is on it, in which order, filtered, scoped ----------------------------------------


def test_ordering_highest_risk_first_and_only_open_suggestions(world, frozen_today):
    past(world, world.lead_unit, on_time=3, late=10)
    past(world, world.other_unit, on_time=13, late=0, category="traffic")
    punctual = open_at(world, frozen_today, ASSIGNED, unit=world.other_unit, title="守时单位的建议")
    late_prone = open_at(world, frozen_today, ASSIGNED, title="常逾期单位的建议")
    overdue = open_at(world, frozen_today, date(2026, 9, 1), title="已逾期的建议")
    replied = drive(world, State.REPLIED, title="已答复的建议")
    frozen_today(BEFORE_FESTIVAL)
    order = [a.suggestion.pk for a in assessed(world.office)]
    assert order == [late_prone.pk, punctual.pk]
    assert overdue.pk not in order and replied.pk not in order
    probabilities = [a.probability for a in assessed(world.office)]
    assert probabilities == sorted(probabilities, reverse=True)


def test_filters_by_lead_unit_and_category(world, frozen_today, client):
    other = open_at(world, frozen_today, ASSIGNED, unit=world.other_unit, title="交通的建议")  # traffic
    mine = open_at(world, frozen_today, ASSIGNED, title="城建的建议")  # urban_construction
    frozen_today(BEFORE_FESTIVAL)
    assert [a.suggestion.pk for a in assessed(world.office, unit=world.other_unit)] == [other.pk]
    assert [a.suggestion.pk for a in assessed(world.office, category="urban_construction")] == [mine.pk]
    client.force_login(world.office)
    page = client.get(f"/suggestions/risk/?unit={world.lead_unit.pk}")
    assert page.status_code == 200
    assert "城建的建议" in page.content.decode() and "交通的建议" not in page.content.decode()
    page = client.get("/suggestions/risk/?category=traffic")
    assert "交通的建议" in page.content.decode() and "城建的建议" not in page.content.decode()
    api = APIClient()
    api.force_authenticate(world.office)
    body = api.get(f"/api/v1/suggestions/risk/?unit={world.other_unit.pk}").json()
    assert [row["id"] for row in body["results"]] == [other.pk]
    body = api.get("/api/v1/suggestions/risk/?category=urban_construction").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]


def test_scoping_of_the_page_and_the_api(world, frozen_today, client):
    mine = open_at(world, frozen_today, ASSIGNED, title="主办单位的建议")  # lead_unit, co_unit
    theirs = open_at(world, frozen_today, ASSIGNED, unit=world.other_unit, title="别家单位的建议")
    frozen_today(BEFORE_FESTIVAL)
    api = APIClient()
    expected = {
        "office": {mine.pk, theirs.pk},
        "leader": {mine.pk, theirs.pk},
        "admin": {mine.pk, theirs.pk},
        "lead_officer": {mine.pk},
        "co_officer": {mine.pk},
        "other_officer": {theirs.pk},
    }
    for name, ids in expected.items():
        user = world.users()[name]
        api.force_authenticate(user)
        response = api.get("/api/v1/suggestions/risk/")
        assert response.status_code == 200, name
        assert {row["id"] for row in response.json()["results"]} == ids, name
        client.force_login(user)
        assert client.get("/suggestions/risk/").status_code == 200, name
    for name in ("deputy", "cosigner", "staff_a"):
        user = world.users()[name]
        api.force_authenticate(user)
        assert api.get("/api/v1/suggestions/risk/").status_code == 403, name
        client.force_login(user)
        assert client.get("/suggestions/risk/").status_code == 403, name
    api.force_authenticate(None)
    assert api.get("/api/v1/suggestions/risk/").status_code in (401, 403)


def test_the_api_answers_with_its_schema(world, frozen_today):
    suggestion = open_at(world, frozen_today, ASSIGNED)
    frozen_today(BEFORE_FESTIVAL)
    api = APIClient()
    api.force_authenticate(world.office)
    with translation.override("zh-hans"):
        body = api.get("/api/v1/suggestions/risk/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    (row,) = body["results"]
    assert body["count"] == 1
    assert set(row) == {
        "id",
        "title",
        "state",
        "category",
        "lead_unit",
        "assigned_on",
        "reply_due",
        "working_days_left",
        "holidays",
        "probability",
        "level",
        "reasons",
    }
    assert row["id"] == suggestion.pk
    assert row["lead_unit"] == {"id": world.lead_unit.pk, "name": world.lead_unit.name}
    assert (row["reply_due"], row["working_days_left"], row["holidays"]) == ("2027-02-20", 15, ["春节"])
    assert 0 < row["probability"] < 1 and row["level"] in {"very_high", "high", "medium", "low"}
    assert "距答复期限 15 个工作日，其间含春节" in row["reasons"]
    schema = APIClient().get("/api/schema/", {"format": "json"})
    if schema.status_code == 200:
        assert "/api/v1/suggestions/risk/" in schema.json()["paths"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("colour=red", "fields"),
        ("category=weather", "category"),
        ("unit=999999", "unit"),
        ("unit=abc", "unit"),
        ("page_size=0", "page_size"),
        ("page=-1", "page"),
    ],
)
def test_bad_api_parameters_are_400(world, query, field):
    api = APIClient()
    api.force_authenticate(world.office)
    response = api.get(f"/api/v1/suggestions/risk/?{query}")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_bad_filter_on_the_page_is_a_400_with_its_error(world, client):
    client.force_login(world.office)
    response = client.get("/suggestions/risk/?unit=999999")
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()


# --- The reminder -------------------------------------------------------------------------------------


def test_the_reminder_warns_the_lead_unit_once_per_level(world, frozen_today, monkeypatch):
    past(world, world.lead_unit, on_time=2, late=11)
    suggestion = open_at(world, frozen_today, ASSIGNED)
    quiet = open_at(world, frozen_today, ASSIGNED, unit=world.other_unit, title="低风险的建议")
    frozen_today(date(2027, 1, 11))
    first = {a.suggestion.pk: a for a in assessed(world.office)}
    risky, low = first[suggestion.pk].probability, first[quiet.pk].probability
    # What the same suggestion scores once its unit asks for more time.
    asking = risk.probability(replace(first[suggestion.pk].features, extension="pending"))
    assert asking > risky > low
    # The levels put between those scores, so that the test follows the machinery, not the weights.
    monkeypatch.setattr(
        risk,
        "REMINDED_LEVELS",
        ((risk.Level.VERY_HIGH, (risky + asking) / 2), (risk.Level.HIGH, (risky + low) / 2)),
    )
    assert run_sweep(reminders.RISK_HIGH)["sent"] == 1
    notice = Notification.objects.get(verb="reminder.suggestion_risk_high")
    assert notice.recipient == world.lead_officer
    assert "逾期风险" in notice.title and "主办单位近一年同类建议按期率 15%" in notice.body
    assert run_sweep(reminders.RISK_HIGH)["sent"] == 0  # the same day again
    frozen_today(date(2027, 1, 12))
    assert run_sweep(reminders.RISK_HIGH)["sent"] == 0  # the same level the next day
    # A week later the unit asks for more time: the risk climbs a level.
    frozen_today(date(2027, 1, 18))
    services.suggestion_extend(
        suggestion=suggestion, actor=world.lead_officer, new_due=date(2027, 3, 20), reason="需协调资金"
    )
    assert run_sweep(reminders.RISK_HIGH)["sent"] == 1
    assert run_sweep(reminders.RISK_HIGH)["sent"] == 0
    assert sorted(ReminderSent.objects.values_list("threshold_key", flat=True)) == [
        "suggestion_risk_high:2027-02-20:high",
        "suggestion_risk_high:2027-02-20:very_high",
    ]
    assert not ReminderSent.objects.filter(recipient=world.other_officer).exists()


def test_the_shipped_levels_remind_a_late_prone_unit_near_its_deadline(world, frozen_today):
    past(world, world.lead_unit, on_time=1, late=12)
    open_at(world, frozen_today, ASSIGNED)
    frozen_today(date(2027, 2, 15))
    (assessment,) = assessed(world.office)
    assert assessment.probability >= risk.HIGH
    assert run_sweep(reminders.RISK_HIGH)["sent"] == 1


# --- Queries --------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_the_page_and_the_api_cost_the_same_for_2_or_8_suggestions(world, frozen_today, client):
    past(world, world.lead_unit, on_time=8, late=5)
    past(world, world.other_unit, on_time=5, late=5, category="traffic")
    counts = []
    for size in (1, 4):
        for index in range(size):
            open_at(world, frozen_today, ASSIGNED, title=f"建议{size}-{index}")
            open_at(world, frozen_today, ASSIGNED, unit=world.other_unit, title=f"交通{size}-{index}")
        frozen_today(BEFORE_FESTIVAL)
        client.force_login(world.office)
        api = APIClient()
        api.force_authenticate(world.office)
        counts.append(
            (
                _queries(client, "/suggestions/risk/"),
                _queries(client, f"/suggestions/risk/?unit={world.lead_unit.pk}&category=urban_construction"),
                _queries(api, "/api/v1/suggestions/risk/"),
            )
        )
    assert counts[0] == counts[1]
    with CaptureQueriesContext(connection) as queries:
        assessed(world.office)
    # The suggestions, the record, the co-unit opinions, the extensions, the calendar years.
    assert len(queries) == 5


def test_the_reminder_sweep_costs_the_same_for_1_or_5_suggestions(world, frozen_today):
    past(world, world.lead_unit, on_time=1, late=12)
    counts = []
    for size in (1, 5):
        for index in range(size):
            open_at(world, frozen_today, ASSIGNED, title=f"建议{size}-{index}")
        frozen_today(date(2027, 2, 10) + timedelta(days=size))  # before the deadline of 20 February
        with CaptureQueriesContext(connection) as queries:
            result = run_sweep(reminders.RISK_HIGH)
        assert result["sent"] >= size
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- The navigation ---------------------------------------------------------------------------------------


def test_the_office_reaches_it_from_the_menu_and_the_home_page(world, client):
    client.force_login(world.office)
    home = client.get("/").content.decode()
    assert home.count('href="/suggestions/risk/"') >= 2  # the menu and the workload section
    client.force_login(world.deputy)
    assert 'href="/suggestions/risk/"' not in client.get("/").content.decode()
