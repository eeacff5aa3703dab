"""The summary tables (reports.summaries): the same figures as computing them from scratch, read only
while fresh, in a constant number of queries, through their indexes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from core import clock
from core.periods import Basis, Period
from deputies.models import Deputy
from liaison.models import Visit
from liaison.selectors import station_statistics
from organisation.models import Station, StationKind
from reports import figures, summaries
from reports.metrics import ranking
from reports.models import StatisticsRefresh
from suggestions.selectors import _metrics as stats_metrics
from suggestions.selectors import _stats_population, metric_aggregates, suggestion_stats, suggestion_stats_by_unit

pytestmark = [pytest.mark.django_db]


def _years():
    today = datetime.date.today()
    return [today.year - 3, today.year - 2, today.year - 1, today.year]


def _scopes():
    hub = Station.objects.filter(kind=StationKind.HUB).order_by("id").first()
    area = Station.objects.filter(kind=StationKind.AREA).order_by("id").first()
    point = Station.objects.filter(kind=StationKind.POINT).order_by("id").first()
    return [(None, Station.objects.all())] + [(s, Station.objects.within(s)) for s in (hub, area, point)]


@pytest.mark.postgres
def test_the_summaries_give_the_figures_computed_from_scratch(random_city):
    result = summaries.refresh()
    assert result["opinion_months"] and result["opinion_station_months"] and result["deputy_years"]
    summary = summaries.current()
    assert summary is not None
    seen = {"opinions": 0, "ranked_points": 0, "assigned": 0}
    for year in _years():
        for station, stations in _scopes():
            live = figures.station_figures(stations, year)
            assert figures.station_figures(stations, year, summary) == live, (year, station)
            seen["opinions"] += live.opinions
            assert figures.per_station_rows(stations, year, summary) == figures.per_station_rows(stations, year)
            assert figures.opinions_by_category(stations, year, summary) == figures.opinions_by_category(stations, year)
            assert figures.monthly_series(stations, year, summary) == figures.monthly_series(stations, year)
            deputies = figures.deputies_of(station)
            ranked_live = ranking(deputies, year)
            ranked_summary = ranking(deputies, year, summary=summary)
            assert [(r.deputy.id, r.counts, r.points, r.rank) for r in ranked_summary] == [
                (r.deputy.id, r.counts, r.points, r.rank) for r in ranked_live
            ]
            seen["ranked_points"] += sum(r.points for r in ranked_live)
            assert figures.compliance_summary(ranked_summary, year, summary) == figures.compliance_summary(
                ranked_live, year
            )
            ids = [r.deputy.id for r in ranked_live]
            assert figures.deputy_compliance_rows(ids, year, summary) == figures.deputy_compliance_rows(ids, year)
        population = figures.assigned_suggestions(year)
        live_metrics = figures.suggestion_metrics(population)
        assert figures.suggestion_metrics(population, summary=summary, year=year) == live_metrics
        seen["assigned"] += live_metrics["assigned"]
        for group in ("lead_unit", "category"):
            live_rows = figures.suggestion_metrics_by(population, group)
            summary_rows = figures.suggestion_metrics_by(population, group, summary=summary, year=year)
            assert summary_rows == live_rows, group
    # The comparison was not between empty sets.
    assert all(seen.values()), seen


@pytest.mark.postgres
def test_the_lower_apps_statistics_read_the_summaries_with_the_same_figures(random_city):
    summaries.refresh()
    office = User.objects.get(username="city_office")
    year = datetime.date.today().year - 1
    periods = [
        (datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        (datetime.date(year, 3, 1), datetime.date(year + 1, 2, 28)),
        (None, datetime.date(year, 6, 30)),
        (datetime.date(year, 7, 1), None),
        (None, None),
    ]
    differ = False
    for _station, stations in _scopes():
        for date_from, date_to in periods:
            cohort = station_statistics(stations=stations, date_from=date_from, date_to=date_to, use_summary=False)
            for basis in Basis.CHOICES:
                period = {"date_from": date_from, "date_to": date_to, "basis": basis}
                live = station_statistics(stations=stations, **period, use_summary=False)
                assert summaries.station_statistics(stations=stations, **period) == live, period
                assert station_statistics(stations=stations, **period) == live
                differ = differ or live != cohort
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        assert summaries.station_monthly_series(stations=stations, date_from=start, date_to=end) is not None
    # Outcomes and resolutions come days after the opinion: some cross a period's end, so the bases differ.
    assert differ
    # A period that is not whole months is counted live.
    assert (
        summaries.station_statistics(stations=Station.objects.all(), date_from=datetime.date(year, 1, 2), date_to=None)
        is None
    )
    whole_year = Period.of_year(year)
    differ = False
    for basis in Basis.CHOICES:
        for params in [
            {"period": Period()},
            {"period": whole_year},
            {"period": Period.of_year(year + 1)},
            {"period": whole_year, "category": "traffic"},
        ]:
            population = _stats_population(office, basis=basis, **params)
            live = stats_metrics(population.aggregate(**metric_aggregates(basis, params["period"])))
            assert summaries.suggestion_stats(user=office, basis=basis, **params) is not None
            assert suggestion_stats(office, basis=basis, **params) == live, (basis, params)
            cohort = suggestion_stats(office, **params)
            differ = differ or live != cohort
        by_unit = suggestion_stats_by_unit(office, period=whole_year, basis=basis)
        assert (
            sum(row["assigned"] for row in by_unit)
            == suggestion_stats(office, period=whole_year, basis=basis)["assigned"]
        )
    assert differ
    # Periods other than whole years are counted live.
    half = Period(datetime.date(year, 1, 1), datetime.date(year, 6, 30))
    assert summaries.suggestion_stats(user=office, period=half, basis=Basis.COHORT) is None
    by_unit = suggestion_stats_by_unit(office, year=year)
    assert sum(row["assigned"] for row in by_unit) == suggestion_stats(office, year=year)["assigned"] > 0


@pytest.mark.postgres
def test_stale_summaries_are_not_read_and_the_figures_are_computed_live(random_city):
    summaries.refresh()
    station = Visit.objects.order_by("id").first().station
    stations = Station.objects.filter(id=station.id)
    year = clock.today().year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    before = station_statistics(stations=stations, date_from=start, date_to=end)
    Visit.objects.filter(id=Visit.objects.filter(station=station).order_by("id").first().id).update(
        date=datetime.date(year, 1, 1), headcount=400
    )
    live = station_statistics(stations=stations, date_from=start, date_to=end, use_summary=False)
    assert live != before
    # Fresh: the summary as of the refresh, not the change made since.
    assert station_statistics(stations=stations, date_from=start, date_to=end) == before
    # Older than three refresh intervals: computed live.
    StatisticsRefresh.objects.update(refreshed_at=timezone.now() - summaries.max_age() - datetime.timedelta(seconds=1))
    assert summaries.current() is None
    assert station_statistics(stations=stations, date_from=start, date_to=end) == live
    # The next refresh catches up.
    summaries.refresh()
    assert station_statistics(stations=stations, date_from=start, date_to=end) == live


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.postgres
def test_the_dashboards_and_statistics_cost_the_same_queries_at_any_size(random_city, client):
    office = User.objects.get(username="city_office")
    client.force_login(office)
    api = APIClient()
    api.force_authenticate(office)
    urls = ["/reports/dashboard/", "/stations/reception/dashboard/"]
    api_urls = ["/api/v1/stats/stations/", "/api/v1/stats/suggestions/"]
    summaries.refresh()
    small = [_queries(client, url) for url in urls] + [_queries(api, url) for url in api_urls]
    body = client.get("/reports/dashboard/").content.decode()
    assert 'id="figures-as-of"' in body
    # Twice the stations, deputies, visits and opinions.
    from django.core.management import call_command

    call_command("seed_city", "--scale", "0.002", "--append", verbosity=0)
    summaries.refresh()
    large = [_queries(client, url) for url in urls] + [_queries(api, url) for url in api_urls]
    assert small == large
    assert Deputy.objects.count() > 10


@pytest.mark.postgres
def test_a_stations_months_are_read_through_the_summary_index(random_city):
    summaries.refresh()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    area = Station.objects.filter(kind=StationKind.AREA).order_by("id").first()
    year = clock.today().year - 1
    with CaptureQueriesContext(connection) as queries:
        summaries.station_counts(Station.objects.within(area), datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    assert len(queries) == 2
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            text = "\n".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan on reports_" not in text, text
            indexes = (
                "opinion_station_month_idx",
                "opinion_station_month_unique",
                "visit_month_month_station",
                "visit_month_unique",
            )
            assert any(index in text for index in indexes), text


def test_the_dashboard_on_the_summaries_shows_the_live_figures_on_any_database(street, client):
    """SQLite and PostgreSQL: the summaries of the hand-built street give the page the live figures."""
    client.force_login(street.leader)
    live = client.get("/reports/dashboard/", {"year": street.year}).context["data"]
    summaries.refresh()
    fresh = client.get("/reports/dashboard/", {"year": street.year})
    data = fresh.context["data"]
    assert data["summary"] is not None and 'id="figures-as-of"' in fresh.content.decode()
    assert live["summary"] is None
    for key in ("figures", "per_station", "categories", "monthly", "suggestions", "by_unit", "by_category"):
        assert data[key] == live[key], key
    # The duty table: summed from the deputies' year rows without ranking them, as the live ranking gives it.
    assert data["compliance"] == live["compliance"]
    assert sum(row["due"] for row in data["compliance"].rows) > 0 and data["compliance"].contacts_deputies > 0
    # And one station's dashboard, whose duty table sums that station's deputies only.
    area = Station.objects.filter(kind=StationKind.AREA).order_by("id").first()
    station_live = figures.compliance_summary(ranking(figures.deputies_of(area), street.year), street.year)
    station_page = client.get("/reports/dashboard/", {"year": street.year, "station": area.id}).context["data"]
    assert station_page["compliance"] == station_live
    assert live["figures"].opinions > 0
