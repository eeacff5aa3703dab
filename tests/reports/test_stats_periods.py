"""The statistics' periods, bases and scopes (core.periods, liaison.periods, suggestions.periods).

Both statistics endpoints take the same parameters — ``year`` or ``date_from``/``date_to``, ``basis``
(cohort or activity) and the scope ``station``, ``unit``, ``deputy`` — with the same coded errors; the
cohort and activity views differ exactly as defined, and a closed year's activity does not drift.
"""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.periods import Period
from liaison.models import Opinion
from liaison.services.opinions import opinion_resolve
from liaison.services.reception import visit_record
from organisation.models import Station
from reports import summaries
from suggestions import services
from suggestions.models import State, Suggestion
from tests.builders.suggestions import drive

pytestmark = pytest.mark.django_db

STATIONS = "/api/v1/stats/stations/"
SUGGESTIONS = "/api/v1/stats/suggestions/"
ENDPOINTS = (STATIONS, SUGGESTIONS)
PERIOD_AND_SCOPE = {"year", "date_from", "date_to", "basis", "station", "unit", "deputy"}


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _get(user, url, **params):
    response = _api(user).get(url, params)
    assert response.status_code == 200, (url, params, response.content)
    return response.json()


def _visit(street, station, day, opinions=1, deputies=(), outcome="answered_on_site"):
    return visit_record(
        actor=street.office,
        station=station,
        date=day,
        channel="at_station",
        headcount=3,
        deputies=deputies,
        opinions=[{"category": "traffic", "content": f"第{n}条意见", "outcome": outcome} for n in range(opinions)],
    )


@pytest.fixture
def december_opinion(reception_street, frozen_today):
    """Station A: an opinion received (and answered on site) on 2025-12-20, resolved on 2026-01-05; and one
    received on 2026-03-02 (answered, not resolved). Today is 2026-12-07."""
    street = reception_street
    frozen_today(date(2025, 12, 20))
    visit = _visit(street, street.a, date(2025, 12, 20), deputies=[street.owner])
    frozen_today(date(2026, 1, 5))
    opinion_resolve(opinion=visit.opinions.get(), note="已修复路灯", actor=street.staff_a)
    frozen_today(date(2026, 3, 2))
    _visit(street, street.a, date(2026, 3, 2))
    frozen_today(date(2026, 12, 7))
    return street


# --- The same parameters on both endpoints ------------------------------------------------------------


def test_both_endpoints_document_the_same_period_basis_and_scope_parameters():
    schema = APIClient().get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    documented = {}
    for url in ENDPOINTS:
        parameters = {p["name"]: p for p in paths[url]["get"]["parameters"]}
        assert PERIOD_AND_SCOPE <= set(parameters), (url, set(parameters))
        for name in PERIOD_AND_SCOPE:
            assert parameters[name]["in"] == "query" and parameters[name].get("description"), (url, name)
        assert parameters["basis"]["schema"]["enum"] == ["cohort", "activity"]
        description = paths[url]["get"]["description"]
        assert "cohort" in description and "activity" in description and "unknown_scope" in description
        documented[url] = {name: parameters[name]["description"] for name in PERIOD_AND_SCOPE}
    # One definition: the very same words on both.
    assert documented[STATIONS] == documented[SUGGESTIONS]
    assert "first submitted" in paths[SUGGESTIONS]["get"]["description"]
    assert "resolved in the period" in paths[STATIONS]["get"]["description"]


def test_both_endpoints_accept_every_period_basis_and_scope_parameter(december_opinion):
    street = december_opinion
    scope = {"station": street.a.pk, "unit": street.unit.pk, "deputy": street.owner.pk}
    for url in ENDPOINTS:
        for basis in ("cohort", "activity"):
            _get(street.office, url, year=2025, basis=basis, **scope)
            _get(street.office, url, date_from="2025-12-01", date_to="2026-01-31", basis=basis, **scope)
            _get(street.office, url, date_from="2025-12-01")
            _get(street.office, url, date_to="2026-01-31")
        # Empty parameters mean "no filter", on both.
        assert _get(street.office, url, year="", station="", basis="") == _get(street.office, url)


def _year_is_its_range(user, url):
    for basis in ("cohort", "activity"):
        for year in (2025, 2026):
            by_year = _get(user, url, year=year, basis=basis)
            by_range = _get(user, url, date_from=f"{year}-01-01", date_to=f"{year}-12-31", basis=basis)
            assert by_year == by_range, (url, basis, year)
    assert by_year != _get(user, url, year=2025, basis="activity")  # not everything is the same


def test_a_year_is_its_date_range_on_the_station_statistics(december_opinion):
    _year_is_its_range(december_opinion.office, STATIONS)


def test_a_year_is_its_date_range_on_the_suggestion_statistics(december_suggestion):
    _year_is_its_range(december_suggestion[0].office, SUGGESTIONS)


# --- Cohort and activity -------------------------------------------------------------------------------


def test_an_opinion_of_december_resolved_in_january_is_2025s_cohort_and_2026s_activity(december_opinion):
    street = december_opinion

    def figures(year, basis):
        return _get(street.office, STATIONS, station=street.a.pk, year=year, basis=basis)

    assert figures(2025, "cohort") == {
        "visits_person_times": 3,
        "opinions": 1,
        "answered_on_site": 1,
        "escalated": 0,
        "resolved": 1,
    }
    assert figures(2025, "activity") == {**figures(2025, "cohort"), "resolved": 0}
    assert figures(2026, "cohort") == {
        "visits_person_times": 3,
        "opinions": 1,
        "answered_on_site": 1,
        "escalated": 0,
        "resolved": 0,
    }
    assert figures(2026, "activity") == {**figures(2026, "cohort"), "resolved": 1}
    # The default is the cohort.
    assert _get(street.office, STATIONS, station=street.a.pk, year=2025) == figures(2025, "cohort")
    # The summary tables answer both bases with the same figures.
    live = {(year, basis): figures(year, basis) for year in (2025, 2026) for basis in ("cohort", "activity")}
    summaries.refresh()
    stations = Station.objects.filter(id=street.a.id)
    for year, basis in live:
        whole = {"date_from": date(year, 1, 1), "date_to": date(year, 12, 31), "basis": basis}
        assert summaries.station_statistics(stations=stations, **whole) == live[year, basis]
        assert figures(year, basis) == live[year, basis]


def test_a_closed_years_activity_does_not_drift_when_later_resolutions_arrive(december_opinion, frozen_today):
    street = december_opinion
    frozen_today(date(2025, 12, 28))
    late = _visit(street, street.a, date(2025, 12, 28)).opinions.get()
    frozen_today(date(2026, 12, 7))
    activity_2025 = _get(street.office, STATIONS, station=street.a.pk, year=2025, basis="activity")
    cohort_2025 = _get(street.office, STATIONS, station=street.a.pk, year=2025)
    opinion_resolve(opinion=late, note="已解决", actor=street.staff_a)  # today, 2026
    assert _get(street.office, STATIONS, station=street.a.pk, year=2025, basis="activity") == activity_2025
    assert _get(street.office, STATIONS, station=street.a.pk, year=2025)["resolved"] == cohort_2025["resolved"] + 1


@pytest.fixture
def december_suggestion(world, frozen_today):
    """A suggestion submitted and assigned on 2025-12-15, replied on 2026-01-10 and closed 满意 on 2026-01-20."""
    w = world
    frozen_today(date(2025, 12, 15))
    suggestion = drive(w, State.ASSIGNED, title="关于路灯的建议")
    frozen_today(date(2026, 1, 10))
    services.suggestion_acknowledge(suggestion=suggestion, actor=w.lead_officer)
    services.suggestion_reply(suggestion=suggestion, actor=w.lead_officer, reply_class="A", content="已修复。")
    frozen_today(date(2026, 1, 20))
    services.suggestion_evaluate(
        suggestion=Suggestion.objects.get(pk=suggestion.pk), actor=w.deputy, rating="satisfied"
    )
    frozen_today(date(2026, 12, 7))
    assert Suggestion.objects.get(pk=suggestion.pk).state == State.CLOSED
    return w, suggestion


def test_a_suggestion_submitted_in_december_and_replied_in_january(december_suggestion):
    w, suggestion = december_suggestion

    def figures(year, basis):
        body = _get(w.office, SUGGESTIONS, year=year, basis=basis)
        return body["assigned"], body["replied"], body["closed"], body["satisfaction_rate"]

    assert figures(2025, "cohort") == (1, 1, 1, 1.0)
    assert figures(2026, "cohort") == (0, 0, 0, None)
    assert figures(2025, "activity") == (1, 0, 0, None)
    assert figures(2026, "activity") == (0, 1, 1, 1.0)
    # The summary tables answer both bases with the same figures.
    live = {(year, basis): figures(year, basis) for year in (2025, 2026) for basis in ("cohort", "activity")}
    summaries.refresh()
    for year, basis in live:
        assert summaries.suggestion_stats(user=w.office, period=Period.of_year(year), basis=basis) is not None
        assert figures(year, basis) == live[year, basis]
    # The suggestion list's year is the same cohort year as the statistics'.
    listed = _api(w.office).get("/api/v1/suggestions/", {"year": 2025}).json()["results"]
    assert [row["id"] for row in listed] == [suggestion.pk]
    assert _api(w.office).get("/api/v1/suggestions/", {"year": 2026}).json()["results"] == []


# --- Refusals ------------------------------------------------------------------------------------------

REFUSED = [
    ({"yaer": "2025"}, "unknown_parameter", ["yaer"]),
    ({"year": "2025", "date_from": "2025-03-01"}, "period_conflict", ["date_from", "year"]),
    ({"date_from": "2025-12-31", "date_to": "2025-01-01"}, "period_reversed", ["date_from", "date_to"]),
    ({"date_from": "1999-12-31"}, "period_out_of_bounds", ["date_from"]),
    ({"date_to": "2101-01-01"}, "period_out_of_bounds", ["date_to"]),
    ({"year": "1999"}, "invalid_parameter", ["year"]),
    ({"year": "去年"}, "invalid_parameter", ["year"]),
    ({"date_from": "2025-02-30"}, "invalid_parameter", ["date_from"]),
    ({"basis": "weekly"}, "invalid_parameter", ["basis"]),
    ({"station": "abc"}, "invalid_parameter", ["station"]),
]


def test_unknown_parameters_and_bad_values_are_coded_400s_on_both_and_change_nothing(december_opinion):
    street = december_opinion
    client = _api(street.office)
    for url in ENDPOINTS:
        for params, code, fields in REFUSED:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
            assert response.status_code == 400, (url, params)
            body = response.json()
            assert (body["code"], body["fields"]) == (code, fields), (url, params, body)
            assert body["detail"]
            # Nothing is written.
            assert not [q for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert Opinion.objects.count() == 2


def test_scopes_unknown_or_out_of_sight_are_the_same_404_on_both(december_opinion):
    street = december_opinion
    for url in ENDPOINTS:
        for user, params, field in [
            (street.office, {"station": 999999}, "station"),
            (street.office, {"unit": 999999}, "unit"),
            (street.office, {"deputy": 999999}, "deputy"),
            (street.staff_b, {"station": street.a.pk}, "station"),  # B's staff do not see A
            (street.staff_b, {"deputy": street.owner.pk}, "deputy"),  # resident at A
            (street.outsider_user, {"station": street.a.pk}, "station"),
        ]:
            response = _api(user).get(url, params)
            assert response.status_code == 404, (url, params)
            assert response.json()["code"] == "unknown_scope" and response.json()["fields"] == [field]
        # In sight: answered.
        _get(street.staff_a, url, station=street.a.pk, deputy=street.owner.pk)
    # Handling-unit officers have no station statistics; their suggestion statistics are their own.
    assert _api(street.unit_officer).get(STATIONS).status_code == 403
    assert _get(street.unit_officer, SUGGESTIONS, unit=street.unit.pk)["assigned"] == 0


def test_scopes_narrow_the_station_figures(december_opinion, frozen_today):
    street = december_opinion
    frozen_today(date(2025, 12, 22))
    _visit(street, street.a, date(2025, 12, 22), opinions=2, deputies=[street.colleague])
    frozen_today(date(2026, 12, 7))
    whole = _get(street.office, STATIONS, station=street.a.pk, year=2025)
    assert (whole["visits_person_times"], whole["opinions"]) == (6, 3)
    owner = _get(street.office, STATIONS, station=street.a.pk, year=2025, deputy=street.owner.pk)
    assert (owner["visits_person_times"], owner["opinions"], owner["resolved"]) == (3, 1, 1)
    # No opinion of 2025 was referred to the unit.
    assert _get(street.office, STATIONS, year=2025, unit=street.unit.pk) == dict.fromkeys(whole, 0)


# --- Cost ----------------------------------------------------------------------------------------------


def test_the_endpoints_cost_a_constant_number_of_queries(december_opinion, frozen_today, django_assert_max_num_queries):
    street = december_opinion
    client = _api(street.office)
    everything = {"station": street.a.pk, "unit": street.unit.pk, "deputy": street.owner.pk}

    def cost():
        counts = []
        for url in ENDPOINTS:
            for basis in ("cohort", "activity"):
                for params in ({}, {"year": 2025}, {"date_from": "2025-12-03", "date_to": "2026-02-11"}, everything):
                    with CaptureQueriesContext(connection) as queries:
                        assert client.get(url, {"basis": basis, **params}).status_code == 200
                    counts.append(len(queries))
        return counts

    small = cost()
    frozen_today(datetime(2025, 12, 21, 10))
    for _ in range(10):
        _visit(street, street.a, date(2025, 12, 21), opinions=3, deputies=[street.owner])
    frozen_today(date(2026, 12, 7))
    assert cost() == small
    # Three scope checks, the freshness of the summaries, and the figures themselves.
    for url in ENDPOINTS:
        with django_assert_max_num_queries(7):
            client.get(url, {"basis": "activity", "year": 2025, **everything})


# --- The statistics pages ------------------------------------------------------------------------------


def test_the_station_dashboard_counts_by_the_basis_chosen_and_says_which(december_opinion, client):
    street = december_opinion
    client.force_login(street.staff_a)
    period = {"station": street.a.pk, "date_from": "2025-01-01", "date_to": "2025-12-31"}
    cohort = client.get(reverse("liaison:reception_dashboard"), period)
    activity = client.get(reverse("liaison:reception_dashboard"), {**period, "basis": "activity"})
    assert cohort.context["figures"] == _get(street.staff_a, STATIONS, **period)
    assert activity.context["figures"] == _get(street.staff_a, STATIONS, basis="activity", **period)
    assert (cohort.context["figures"]["resolved"], activity.context["figures"]["resolved"]) == (1, 0)
    assert "截至目前的办理结果" in cohort.content.decode()
    assert "按解决日期统计" in activity.content.decode()
    # Shares of the opinions received are a cohort's only.
    assert cohort.context["outcomes"] and activity.context["outcomes"] == []


def test_the_suggestion_statistics_page_counts_by_the_basis_chosen_and_says_which(december_suggestion, client):
    w, _suggestion = december_suggestion
    client.force_login(w.office)
    cohort = client.get(reverse("suggestions:stats"), {"year": 2026})
    activity = client.get(reverse("suggestions:stats"), {"year": 2026, "basis": "activity"})
    assert cohort.context["total"] == _get(w.office, SUGGESTIONS, year=2026)
    assert activity.context["total"] == _get(w.office, SUGGESTIONS, year=2026, basis="activity")
    assert (cohort.context["total"]["replied"], activity.context["total"]["replied"]) == (0, 1)
    assert "首次提交" in cohort.content.decode() and "期间内完成的办理工作" in activity.content.decode()


def test_the_report_dashboard_says_its_figures_are_the_cohorts(december_suggestion, client):
    w, _suggestion = december_suggestion
    client.force_login(w.office)
    response = client.get("/reports/dashboard/", {"year": 2025})
    assert response.status_code == 200
    assert 'id="figures-basis"' in response.content.decode() and "按受理时间统计" in response.content.decode()
