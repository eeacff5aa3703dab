"""The leaders' and office's dashboard: station figures, suggestion metrics, overdue and key-supervision
lists, duty compliance and monthly trends, with SVG charts and an Excel download for every table."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.models import Station
from reports import charts, figures, summaries, tables
from reports.exports import xlsx_response
from reports.forms import StationReportForm, YearForm
from reports.page_access import overseers_only


def _scope(request):
    form = YearForm(request.GET or None, stations=Station.objects.order_by("kind", "name"))
    year = form.value("year", timezone.localdate().year)
    station = form.value("station")
    return form, year, station


# The page lists the longest overdue and key-supervision items only; the Excel download has them all.
PAGE_LIST_LIMIT = 50


def dashboard_data(year: int, station: Station | None, *, list_limit: int | None = None) -> dict:
    """The figures of the street, or of one station's subtree (about twenty queries either way).

    Read from the summary tables while they are fresh (``reports.summaries``), computed live otherwise;
    the deputies' duty table is summed without ranking them (the ranking has its own page). With
    ``list_limit``, the overdue and key-supervision lists keep their first rows, with their totals.
    """
    summary = summaries.current()
    stations = Station.objects.all() if station is None else Station.objects.within(station)
    population = figures.assigned_suggestions(year, station)
    street = station is None
    # The suggestion summary is per year, unit and category: a station's suggestions are counted live.
    suggestion_summary = summary if street else None
    data = {
        "summary": summary,
        "figures": figures.station_figures(stations, year, summary),
        "per_station": figures.per_station_rows(stations, year, summary) if street or station.kind != "point" else [],
        "categories": figures.opinions_by_category(stations, year, summary),
        "monthly": figures.monthly_series(stations, year, summary),
        "suggestions": figures.suggestion_metrics(population, summary=suggestion_summary, year=year),
        "by_unit": figures.suggestion_metrics_by(population, "lead_unit", summary=suggestion_summary, year=year),
        "by_category": figures.suggestion_metrics_by(population, "category", summary=suggestion_summary, year=year),
        "overdue": figures.overdue_suggestions(station, limit=list_limit),
        "key_supervision": figures.key_supervision_suggestions(station, limit=list_limit),
        "compliance": figures.compliance_overview(figures.deputies_of(station), year, summary),
        "overdue_total": None,
        "key_supervision_total": None,
    }
    if list_limit is not None:  # two counts, so the query count does not depend on the lists' lengths
        data["overdue_total"] = figures.overdue_count(station)
        data["key_supervision_total"] = figures.key_supervision_count(station)
    return data


def dashboard_tables(data: dict) -> dict[str, tables.Table]:
    built = [
        tables.per_station_table(data["per_station"]) if data.get("per_station") else None,
        tables.categories_table(data["categories"]),
        tables.monthly_table(data["monthly"], figures.month_labels()),
        tables.units_table(data["by_unit"]),
        tables.suggestion_categories_table(data["by_category"]),
        tables.overdue_table(data["overdue"], total=data.get("overdue_total")),
        tables.key_supervision_table(data["key_supervision"], total=data.get("key_supervision_total")),
        tables.compliance_table(data["compliance"]),
    ]
    return {table.key: table for table in built if table is not None}


def dashboard_charts(data: dict) -> dict:
    monthly = data["monthly"]
    labels = figures.month_labels()
    none = _("No data yet")
    return {
        "monthly": charts.line_chart(
            labels,
            [
                charts.Series(_("Person-times"), monthly["person_times"]),
                charts.Series(_("Opinions"), monthly["opinions"]),
            ],
            title=_("Person-times and opinions by month"),
            empty_message=none,
        ),
        "categories": charts.hbar_chart(
            [r["label"] for r in data["categories"]],
            [r["total"] for r in data["categories"]],
            title=_("Opinions by category"),
            empty_message=none,
        ),
        "units": charts.hbar_chart(
            [r["label"] for r in data["by_unit"][:12]],
            [r["closure_rate"] or 0 for r in data["by_unit"][:12]],
            title=_("Closure rate by lead unit"),
            percent=True,
            empty_message=none,
            colour=charts.PALETTE[3],
        ),
    }


@overseers_only
def dashboard(request):
    form, year, station = _scope(request)
    data = dashboard_data(year, station, list_limit=PAGE_LIST_LIMIT)
    print_form = StationReportForm(
        initial={"kind": "station_annual" if station else "street_annual", "station": station, "year": year}
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "year": year,
            "station": station,
            "data": data,
            "figures": data["figures"],
            "suggestions": data["suggestions"],
            "tables": dashboard_tables(data),
            "charts": dashboard_charts(data),
            "print_form": print_form,
            "query": request.GET.urlencode(),
        },
    )


@overseers_only
def dashboard_export(request, table: str):
    _form, year, station = _scope(request)
    chosen = dashboard_tables(dashboard_data(year, station)).get(table)
    if chosen is None:
        raise Http404
    scope = station.name if station else _("Street")
    title = f"{year} {scope} {chosen.title}"
    return xlsx_response(request, title=title, filename=f"{table}-{year}", columns=chosen.columns, rows=chosen.rows)
