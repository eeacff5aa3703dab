"""A station's past year, back-recorded (补录) through the API with its real dates, reads the same in the
statistics API, the report dashboard and that year's station PDF as what was recorded.

The street is the suggestions world: station A with its resident deputies, the handling units, the office
and A's staff. A's staff record the reception year (visits with their headcounts and opinions, the
opinions' outcomes and resolutions); the office records the suggestions of A's deputy step by step, the
lead unit's replies included. A few records outside the year or at station B must stay out of A's figures.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from rest_framework.test import APIClient

from reports import documents, services
from reports.templatetags.reports_tags import pct
from tests.reports.pdf_checks import flat, page_texts

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)
YEAR = 2024

# The year's visits at station A: (date, channel, headcount).
VISITS = [
    ("2024-01-15", "at_station", 3),
    ("2024-02-19", "home_visit", 1),
    ("2024-03-15", "at_station", 5),
    ("2024-04-12", "grid_patrol", 2),
    ("2024-05-15", "at_station", 4),
    ("2024-06-14", "courtyard_talk", 12),
    ("2024-07-15", "at_station", 2),
    ("2024-08-09", "phone", 1),
    ("2024-09-13", "at_station", 6),
    ("2024-10-15", "council", 8),
    ("2024-11-15", "at_station", 3),
    ("2024-12-16", "wechat", 1),
]


@dataclass
class Said:
    """One opinion: raised at ``VISITS[visit]`` (or sent on its own, ``received``); its outcome given at the
    visit (``inline``) or afterwards (``outcome`` on ``outcome_on``); resolved on ``resolved_on``."""

    visit: int | None = None
    received: str | None = None
    inline: str | None = None
    outcome: str | None = None
    outcome_on: str | None = None
    resolved_on: str | None = None
    category: str = "urban_construction"


OPINIONS = [
    Said(visit=0, inline="answered_on_site", category="traffic"),
    Said(visit=2, inline="answered_on_site", resolved_on="2024-03-15"),
    Said(visit=2, outcome="referred", outcome_on="2024-03-18", resolved_on="2024-04-30", category="environment"),
    Said(visit=3, outcome="filed", outcome_on="2024-04-15"),
    Said(visit=5, inline="answered_on_site", category="elderly_care"),
    Said(visit=5, outcome="referred", outcome_on="2024-06-20", resolved_on="2024-09-10", category="property"),
    Said(visit=6),  # never triaged
    Said(visit=8, outcome="answered_on_site", outcome_on="2024-09-14", category="safety"),
    Said(visit=9, outcome="referred", outcome_on="2024-10-21"),  # referred, not (yet) solved
    Said(visit=11, inline="filed", category="other"),
    # Turned into a suggestion of A's lead deputy a few days after the visit (形成意见建议, 补录).
    Said(visit=10, outcome="escalated", outcome_on="2024-11-20", category="traffic"),
    Said(received="2024-05-20", outcome="referred", outcome_on="2024-05-22", resolved_on="2024-07-01"),
    # Received on the year's last working day, answered the next year: still the year's opinion.
    Said(received="2024-12-30", outcome="answered_on_site", outcome_on="2025-01-03", category="medical"),
]


@dataclass
class Proposal:
    """One suggestion of A's deputy: submitted, assigned (and acknowledged), then its replies and
    evaluations in order: ``steps`` is a list of ("reply", date, class) / ("evaluate", date, rating)."""

    submitted: str
    assigned: str
    steps: list
    assign_due: str | None = None
    on_time: bool | None = None


SUGGESTIONS = [
    # Replied well before the deadline (06-06), 满意.
    Proposal(
        "2024-03-04",
        "2024-03-06",
        [("reply", "2024-05-20", "A"), ("evaluate", "2024-05-28", "satisfied")],
        on_time=True,
    ),
    # Replied after the deadline (07-10), 不满意 twice: closed unsatisfied after the second reply.
    Proposal(
        "2024-04-08",
        "2024-04-10",
        [
            ("reply", "2024-07-30", "B"),
            ("evaluate", "2024-08-05", "unsatisfied"),
            ("reply", "2024-08-30", "A"),
            ("evaluate", "2024-09-03", "unsatisfied"),
        ],
        on_time=False,
    ),
    # Replied on the deadline day itself, not evaluated yet.
    Proposal("2024-06-03", "2024-06-05", [("reply", "2024-09-05", "C")], on_time=True),
    # Submitted the Friday before National Day: the five working days to assign are 09-29 (a make-up
    # Sunday), 09-30, then 10-08 .. 10-10 after the holiday. 基本满意.
    Proposal(
        "2024-09-27",
        "2024-10-10",
        [("reply", "2024-12-20", "A"), ("evaluate", "2024-12-27", "basically_satisfied")],
        assign_due="2024-10-10",
        on_time=True,
    ),
    # Submitted in 2024, replied late in 2025 (due 2025-02-06): the year's, and late.
    Proposal("2024-11-04", "2024-11-06", [("reply", "2025-02-10", "B")], on_time=False),
    # Assigned, never replied.
    Proposal("2024-12-02", "2024-12-04", []),
]


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ok(response, code=200) -> dict:
    assert response.status_code == code, response.content.decode()
    return response.json()


def _record_visit(client, station, day, channel, headcount, opinions=()) -> dict:
    body = {"station": station.pk, "date": day, "channel": channel, "headcount": headcount, "opinions": list(opinions)}
    return _ok(client.post("/api/v1/visits/", body, format="json"), 201)


def _record_reception(world) -> None:
    staff = _client(world.staff_a)
    raised = {i: [o for o in OPINIONS if o.visit == i] for i in range(len(VISITS))}
    ids = {}
    for i, (day, channel, headcount) in enumerate(VISITS):
        inputs = [
            {"category": o.category, "content": f"第{i + 1}次接待反映的问题{n + 1}"}
            | ({"outcome": o.inline} if o.inline else {})
            for n, o in enumerate(raised[i])
        ]
        visit = _record_visit(staff, world.station_a, day, channel, headcount, inputs)
        assert visit["date"] == day and visit["opinion_count"] == len(inputs)
        rows = sorted(_ok(staff.get("/api/v1/opinions/", {"visit": visit["id"]}))["results"], key=lambda r: r["id"])
        assert [(row["received_on"], row["outcome"]) for row in rows] == [(day, o.inline) for o in raised[i]]
        for o, row in zip(raised[i], rows, strict=True):
            ids[id(o)] = row["id"]
    for o in OPINIONS:
        if o.visit is None:
            body = {
                "station": world.station_a.pk,
                "category": o.category,
                "content": "来电反映",
                "received_on": o.received,
            }
            ids[id(o)] = _ok(staff.post("/api/v1/opinions/", body, format="json"), 201)["id"]
    for o in OPINIONS:
        pk = ids[id(o)]
        if o.outcome == "escalated":
            body = {"opinion": pk, "deputy": world.lead_deputy.pk, "happened_on": o.outcome_on}
            formed = _ok(staff.post("/api/v1/suggestions/from-opinion/", body, format="json"), 201)
            assert formed["state"] == "submitted"
            shown = _ok(staff.get(f"/api/v1/opinions/{pk}/"))
            assert shown["outcome"] == "escalated" and shown["outcome_at"].startswith(o.outcome_on)
        elif o.outcome:
            body = {"outcome": o.outcome, "happened_on": o.outcome_on}
            if o.outcome == "referred":
                body["referral_unit"] = world.lead_unit.pk
            shown = _ok(staff.post(f"/api/v1/opinions/{pk}/outcome/", body, format="json"))
            assert shown["outcome"] == o.outcome and shown["outcome_at"].startswith(o.outcome_on)
        if o.resolved_on:
            body = {"note": "问题已解决", "happened_on": o.resolved_on}
            shown = _ok(staff.post(f"/api/v1/opinions/{pk}/resolve/", body, format="json"))
            assert shown["resolved"] and shown["resolved_at"].startswith(o.resolved_on)

    # Outside A's year: a visit and an opinion the days around it, and a busy visit at station B.
    _record_visit(staff, world.station_a, "2023-12-29", "at_station", 7, [{"category": "other", "content": "旧年"}])
    _record_visit(staff, world.station_a, "2025-01-02", "at_station", 9, [{"category": "other", "content": "新年"}])
    _record_visit(
        _client(world.staff_b),
        world.station_b,
        "2024-06-14",
        "at_station",
        50,
        [{"category": "traffic", "content": "乙站的问题", "outcome": "answered_on_site"}],
    )


def _post(client, pk, step, body) -> dict:
    return _ok(client.post(f"/api/v1/suggestions/{pk}/{step}/", body, format="json"))


def _record_suggestion(client, world, proposal, deputy, title) -> dict:
    body = {
        "title": title,
        "content": "建议由相关部门研究解决。",
        "lead_deputy": deputy.pk,
        "happened_on": proposal.submitted,
    }
    created = _ok(client.post("/api/v1/suggestions/", body, format="json"), 201)
    pk = created["id"]
    if proposal.assign_due:
        assert created["assign_due"] == proposal.assign_due
    shown = _post(client, pk, "assign", {"lead_unit": world.lead_unit.pk, "happened_on": proposal.assigned})
    assert shown["assigned_on"] == proposal.assigned
    _post(client, pk, "acknowledge", {"happened_on": proposal.assigned})
    for step, day, value in proposal.steps:
        if step == "reply":
            body = {"reply_class": value, "content": "已办理并答复。", "happened_on": day}
        else:
            body = {"rating": value, "happened_on": day}
        shown = _post(client, pk, step, body)
    if proposal.steps:
        assert shown["replies"][0]["on_time"] is proposal.on_time
    return shown


def _record_suggestions(world) -> None:
    office = _client(world.office)
    for n, proposal in enumerate(SUGGESTIONS):
        _record_suggestion(office, world, proposal, world.lead_deputy, f"关于东片区第{n + 1}件事的建议")
    # Station B's deputy's suggestion of the same year stays out of A's figures.
    other = Proposal(
        "2024-05-06",
        "2024-05-08",
        [("reply", "2024-06-01", "A"), ("evaluate", "2024-06-10", "satisfied")],
        on_time=True,
    )
    _record_suggestion(office, world, other, world.other_deputy_record, "关于西片区的建议")


def _expected() -> tuple[dict, dict, dict]:
    """The totals of what was recorded: the five station figures, the dashboard's other outcomes, and the
    suggestion metrics."""
    outcomes = [o.inline or o.outcome for o in OPINIONS]
    reception = {
        "visits_person_times": sum(headcount for _day, _channel, headcount in VISITS),
        "opinions": len(OPINIONS),
        "answered_on_site": outcomes.count("answered_on_site"),
        "escalated": outcomes.count("escalated"),
        "resolved": sum(o.resolved_on is not None for o in OPINIONS),
    }
    more = {
        "visits": len(VISITS),
        "referred": outcomes.count("referred"),
        "filed": outcomes.count("filed"),
        "pending": outcomes.count(None),
    }
    replied = [p for p in SUGGESTIONS if p.steps]
    final = []
    for p in SUGGESTIONS:
        ratings = [value for step, _day, value in p.steps if step == "evaluate"]
        # 不满意 on the first reply sends it back for a second one; any other evaluation closes it.
        if ratings and (len(ratings) == 2 or ratings[0] != "unsatisfied"):
            final.append(ratings[-1])
    suggestions = {
        "assigned": len(SUGGESTIONS),
        "replied": len(replied),
        "closed": len(final),
        "reply_rate": round(len(replied) / len(SUGGESTIONS), 4),
        "on_time_rate": round(sum(p.on_time for p in replied) / len(replied), 4),
        "closure_rate": round(len(final) / len(SUGGESTIONS), 4),
        "satisfaction_rate": round(sum(r != "unsatisfied" for r in final) / len(final), 4),
    }
    return reception, more, suggestions


def test_a_back_recorded_year_reads_the_same_in_the_api_the_dashboard_and_the_pdf(world, frozen_today, client):
    frozen_today(TODAY)
    _record_reception(world)
    _record_suggestions(world)
    reception, more, suggestions = _expected()
    # What was recorded, worked out by hand: 48 person-times at 12 visits; 13 opinions, 5 answered on site, 1 escalated,
    # 4 referred, 2 filed, 1 waiting, 4 resolved; 6 suggestions assigned, 5 replied (3 on time), 3 closed
    # (2 satisfied).
    assert (reception, more) == (
        {"visits_person_times": 48, "opinions": 13, "answered_on_site": 5, "escalated": 1, "resolved": 4},
        {"visits": 12, "referred": 4, "filed": 2, "pending": 1},
    )
    assert suggestions == {
        "assigned": 6,
        "replied": 5,
        "closed": 3,
        "reply_rate": 0.8333,
        "on_time_rate": 0.6,
        "closure_rate": 0.5,
        "satisfaction_rate": 0.6667,
    }
    station = world.station_a
    client.force_login(world.office)

    api = _ok(
        client.get(
            "/api/v1/stats/stations/", {"station": station.id, "date_from": f"{YEAR}-01-01", "date_to": f"{YEAR}-12-31"}
        )
    )
    assert {key: api[key] for key in reception} == reception
    api_suggestions = _ok(client.get("/api/v1/stats/suggestions/", {"year": YEAR, "station": station.id}))
    assert {key: api_suggestions[key] for key in suggestions} == suggestions

    # The dashboard computes live until the summary tables are refreshed, then reads them: the same both ways.
    for refreshed in (False, True):
        if refreshed:
            services.statistics_refresh()
        page = client.get("/reports/dashboard/", {"year": YEAR, "station": station.id}).context["data"]
        assert (page["summary"] is not None) is refreshed
        shown = page["figures"]
        assert {key: getattr(shown, key) for key in reception | more} == reception | more, refreshed
        assert {key: page["suggestions"][key] for key in suggestions} == suggestions, refreshed

    result = documents.station_document(station, YEAR).render()
    body = "".join(flat(text) for text in page_texts(result.data))
    assert (
        f"共开展接待{more['visits']}次，"
        f"接待群众{reception['visits_person_times']}人次，收集社情民意{reception['opinions']}条，"
        f"其中现场答复{reception['answered_on_site']}条，形成意见建议{reception['escalated']}条；"
        f"推动解决{reception['resolved']}条（解决率{pct(round(reception['resolved'] / reception['opinions'], 4))}）。"
        f"此外，转交办理{more['referred']}条，留存参考{more['filed']}条，尚待处理{more['pending']}条。"
    ) in body
    # The station's suggestion table: 已交办 已答复 已办结 办复率 按期答复率 办结率 满意率, side by side.
    assert (
        f"{suggestions['assigned']}{suggestions['replied']}{suggestions['closed']}"
        f"{pct(suggestions['reply_rate'])}{pct(suggestions['on_time_rate'])}"
        f"{pct(suggestions['closure_rate'])}{pct(suggestions['satisfaction_rate'])}"
    ) in body


def test_an_opinion_of_the_past_year_escalated_on_its_own_date(world, frozen_today):
    frozen_today(TODAY)
    staff = _client(world.staff_a)
    visit = _record_visit(
        staff, world.station_a, "2024-06-14", "at_station", 2, [{"category": "traffic", "content": "路口拥堵"}]
    )
    opinion = _ok(staff.get("/api/v1/opinions/", {"visit": visit["id"]}))["results"][0]
    response = staff.post(
        "/api/v1/suggestions/from-opinion/",
        {"opinion": opinion["id"], "deputy": world.lead_deputy.pk, "happened_on": "2024-06-20"},
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    shown = _ok(staff.get(f"/api/v1/opinions/{opinion['id']}/"))
    assert shown["outcome"] == "escalated" and shown["outcome_at"].startswith("2024-06-20")
    # The suggestion was formed and submitted that day (补录), and the refusals of any other 补录 hold.
    suggestion = _ok(_client(world.office).get(f"/api/v1/suggestions/{response.json()['id']}/"))
    assert suggestion["state"] == "submitted" and suggestion["submitted_at"].startswith("2024-06-20")
    assert [event["back_recorded"] for event in suggestion["timeline"]][:2] == [True, True], suggestion["timeline"]
    second = _record_visit(
        staff, world.station_a, "2024-06-14", "at_station", 1, [{"category": "traffic", "content": "公交站台破损"}]
    )
    other = _ok(staff.get("/api/v1/opinions/", {"visit": second["id"]}))["results"][0]
    for happened_on, why in [("2024-06-13", "before it was received"), ("2026-03-11", "in the future")]:
        refused = staff.post(
            "/api/v1/suggestions/from-opinion/",
            {"opinion": other["id"], "deputy": world.lead_deputy.pk, "happened_on": happened_on},
            format="json",
        )
        assert refused.status_code == 400 and "happened_on" in refused.json(), (why, refused.content)
    deputy = _client(world.deputy).post(
        "/api/v1/suggestions/from-opinion/",
        {"opinion": other["id"], "deputy": world.deputy.deputy_id, "happened_on": "2024-06-20"},
        format="json",
    )
    assert deputy.status_code in (400, 403, 404), deputy.content
    assert _ok(staff.get(f"/api/v1/opinions/{other['id']}/"))["outcome"] is None
