"""The printable documents: which template, which figures and which charts make each report.

Each builder returns a ``Document`` (template + context + title + file name); the
task renders it with ``reports.pdf.render``. The same builders feed the benchmark
and the tests, so what they measure is what a leader prints.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from deputies.models import Deputy
from organisation.models import Station, StationKind
from reports import charts
from reports.figures import month_labels, station_year, street_year
from reports.models import ReportKind
from reports.pdf.fonts import pdf_font_families
from reports.pdf.render import PDF_LANGUAGE, RenderedPdf, html_to_pdf, render_report_html
from reports.performance import performance_file


class SubjectMissing(LookupError):
    """The deputy or station a job is about no longer exists."""


@dataclass
class Document:
    template: str
    context: dict
    title: str
    filename: str

    def html(self) -> str:
        return render_report_html(self.template, self.context)

    def render(self, *, target=None, on_layout=None) -> RenderedPdf:
        return html_to_pdf(self.html(), target=target, on_layout=on_layout)


def issuer() -> str:
    """Who issues the reports: ``REPORTS_ISSUER`` if set, else the hub station (代表之家), else a generic name."""
    configured = getattr(settings, "REPORTS_ISSUER", "")
    if configured:
        return configured
    hub = Station.objects.filter(kind=StationKind.HUB).order_by("id").values_list("name", flat=True).first()
    return hub or _("People's Congress Working Committee")


# A hub (代表之家) is named after its street: 白沙街道代表之家, 幸福街道人大代表之家.
HUB_SUFFIXES = ("人大代表之家", "代表之家")


def street_name() -> str:
    """The street the reports cover, for sentences about street-wide totals.

    Read from the hub's name without its "代表之家" suffix (白沙街道代表之家 → 白沙街道); "the street"
    when there is no hub or its name does not follow that pattern. The hub itself is one station
    among the street's: street-wide figures are never credited to it.
    """
    hub = Station.objects.filter(kind=StationKind.HUB).order_by("id").values_list("name", flat=True).first() or ""
    for suffix in HUB_SUFFIXES:
        if hub.endswith(suffix) and len(hub) > len(suffix):
            return hub[: -len(suffix)]
    return _("the street")


def _common(title: str) -> dict:
    return {"document_title": title, "issuer": issuer(), "generated_at": timezone.localtime()}


def _chart_font() -> str:
    return pdf_font_families().css_sans.replace('"', "'")


def _monthly_chart(title: str, series: list[charts.Series]):
    return charts.bar_chart(
        month_labels(), series, title=title, width=640, height=230, font_family=_chart_font(), empty_message=_("None")
    )


def deputy_document(deputy: Deputy, year: int, *, peers=None) -> Document:
    """The 履职报告 of one deputy; ``peers`` is the ranking of their kind when a batch has it already."""
    with translation.override(PDF_LANGUAGE):
        file = performance_file(deputy, year, peers=peers)
        title = _("%(year)s annual performance report of %(name)s") % {"year": year, "name": deputy.name}
        chart = _monthly_chart(
            _("Visits received and opinions collected by month"),
            [
                charts.Series(_("Receptions taken part in"), file.monthly_visits),
                charts.Series(_("Opinions"), file.monthly_opinions),
            ],
        )
        d = deputy
        context = {
            **_common(title),
            "file": file,
            "year": year,
            "monthly_chart": chart,
            "cover_title": _("Deputy's annual performance report"),
            "cover_subtitle": _("(for the report to constituents)"),
            "cover_rows": [
                (_("Deputy"), d.name),
                (_("Deputy of"), "、".join(d.level_labels) or d.get_kind_display()),
                (_("Deputy group"), "、".join(g.name for g in file.groups) or "—"),
                (_("Station"), "、".join(_stations_of(file)) or "—"),
                (_("Period"), _period(file.period)),
            ],
            "sign_left_label": _("Deputy's signature: "),
            "sign_right_label": _("Opinion of the station (or working committee):"),
        }
        filename = f"deputy-{deputy.id}-{year}.pdf"
    return Document("pdf/deputy_annual.html", context, title, filename)


def _stations_of(file) -> list[str]:
    names = [s.name for s in file.resident_stations]
    for a in file.assignments:
        name = a.grid.centre.community.station.name
        if name not in names:
            names.append(name)
    return names


def _period(period) -> str:
    from reports.templatetags.reports_tags import cn_date

    start, end = period
    return _("%(start)s to %(end)s") % {"start": cn_date(start), "end": cn_date(end)}


def _station_charts(data: dict) -> dict:
    monthly = data["monthly"]
    categories = data["categories"]
    return {
        "monthly_chart": _monthly_chart(
            _("Person-times received and opinions collected by month"),
            [
                charts.Series(_("Person-times"), monthly["person_times"]),
                charts.Series(_("Opinions"), monthly["opinions"]),
            ],
        ),
        "category_chart": charts.hbar_chart(
            [row["label"] for row in categories],
            [row["total"] for row in categories],
            title=_("Opinions by category"),
            width=640,
            font_family=_chart_font(),
            empty_message=_("None"),
        ),
    }


def station_document(station: Station, year: int) -> Document:
    with translation.override(PDF_LANGUAGE):
        data = station_year(station, year)
        title = _("%(year)s annual report of %(station)s") % {"year": year, "station": station.name}
        context = {
            **_common(title),
            **data,
            **_station_charts(data),
            "top_deputies": data["ranking"][:20],
            "cover_title": _("Liaison station annual report"),
            "cover_subtitle": station.name,
            "cover_rows": [
                (_("Station"), station.name),
                (_("Kind"), station.get_kind_display()),
                (_("Address"), station.address),
                (_("Deputies"), str(len(data["ranking"]))),
                (_("Period"), _period(data["period"])),
            ],
            "sign_left_label": _("Head of the station:"),
            "sign_right_label": _("Opinion of the people's congress working committee:"),
        }
        filename = f"station-{station.id}-{year}.pdf"
    return Document("pdf/station_annual.html", context, title, filename)


def street_document(year: int) -> Document:
    with translation.override(PDF_LANGUAGE):
        data = street_year(year)
        title = _("%(year)s annual report of the street") % {"year": year}
        extra = _station_charts(data)
        extra["unit_chart"] = charts.hbar_chart(
            [row["label"] for row in data["by_unit"][:12]],
            [row["closure_rate"] or 0 for row in data["by_unit"][:12]],
            title=_("Closure rate by lead unit"),
            percent=True,
            width=640,
            font_family=_chart_font(),
            empty_message=_("None"),
        )
        context = {
            **_common(title),
            **data,
            **extra,
            "street_stations": _("the %(count)s stations of %(street)s")
            % {"count": data["station_count"], "street": street_name()},
            "top_deputies": data["ranking"][:20],
            "cover_title": _("Annual report on the liaison stations"),
            "cover_subtitle": _("Reception, suggestions, livelihood projects and deputies' performance"),
            "cover_rows": [
                (_("Stations"), str(data["station_count"])),
                (_("Deputies"), str(len(data["ranking"]))),
                (_("Period"), _period(data["period"])),
            ],
            "sign_left_label": _("Prepared by:"),
            "sign_right_label": _("Approved by the people's congress working committee:"),
        }
        filename = f"street-{year}.pdf"
    return Document("pdf/street_annual.html", context, title, filename)


def build(kind: str, subject_id: int | None, year: int) -> Document:
    """The document of a single report job; ``SubjectMissing`` if its deputy or station is gone."""
    if kind == ReportKind.DEPUTY_ANNUAL:
        deputy = Deputy.objects.filter(id=subject_id).first()
        if deputy is None:
            raise SubjectMissing(_("The deputy #%(id)s no longer exists.") % {"id": subject_id})
        return deputy_document(deputy, year)
    if kind == ReportKind.STATION_ANNUAL:
        station = Station.objects.filter(id=subject_id).first()
        if station is None:
            raise SubjectMissing(_("The station #%(id)s no longer exists.") % {"id": subject_id})
        return station_document(station, year)
    if kind == ReportKind.STREET_ANNUAL:
        return street_document(year)
    raise ValueError(f"{kind} is not a single document")
