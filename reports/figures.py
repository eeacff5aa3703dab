"""Figures for the dashboards and the station and street annual reports.

The station figures come from ``liaison.selectors.station_statistics`` and the
suggestion rates follow ``suggestions.selectors.suggestion_stats`` (same population
and formulas, grouped here by unit or category in one query), so the API, the
dashboards and the PDFs always print the same numbers.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core import rounding
from core.periods import Period
from deputies.models import Deputy
from duties.models import (
    DUTY_PERIODS,
    VOTER_CONTACTS_PER_YEAR,
    Activity,
    ActivityAttendance,
    AttendanceStatus,
    GridDutyKind,
)
from liaison.models import Opinion, OpinionCategory, OpinionOutcome, ReceptionDay, Visit
from liaison.selectors import station_statistics
from livelihood.models import Project, YearCycle
from organisation.models import Station
from reports import summaries
from reports.compliance import compliance_totals, duty_compliance, required_label
from reports.metrics import ranking, year_bounds
from reports.models import PointItem
from suggestions.models import State, Suggestion
from suggestions.periods import cohort_q, counted_q
from suggestions.selectors import deputies_of_station_q, metric_aggregates, overdue_q, with_deadline, with_rates


def month_labels() -> list[str]:
    return [_("Month %(month)s") % {"month": m} for m in range(1, 13)]


def _rate(part: int, whole: int) -> float | None:
    return rounding.rate(part, whole)


# --- Station figures ---------------------------------------------------------------------------------


@dataclass
class StationFigures:
    visits_person_times: int
    opinions: int
    answered_on_site: int
    escalated: int
    resolved: int
    referred: int = 0
    filed: int = 0
    pending: int = 0
    visits: int = 0

    @property
    def resolution_rate(self) -> float | None:
        return _rate(self.resolved, self.opinions)


def station_figures(stations: QuerySet[Station], year: int, summary=None) -> StationFigures:
    """The five figures (docs/domain.md) plus the other outcomes, for ``stations`` over ``year``. Three queries.

    With ``summary`` (a fresh ``summaries.current()``), read from the summary tables (two queries).
    """
    start, end = year_bounds(year)
    if summary is not None:
        c = summaries.station_counts(stations, start, end)
        return StationFigures(
            visits_person_times=c["person_times"],
            visits=c["visits"],
            **{
                k: c[k]
                for k in ("opinions", "answered_on_site", "escalated", "resolved", "referred", "filed", "pending")
            },
        )
    five = station_statistics(stations=stations, date_from=start, date_to=end, use_summary=False)
    extra = Opinion.objects.filter(station__in=stations.values("id"), received_on__range=(start, end)).aggregate(
        referred=Count("id", filter=Q(outcome=OpinionOutcome.REFERRED)),
        filed=Count("id", filter=Q(outcome=OpinionOutcome.FILED)),
        pending=Count("id", filter=Q(outcome__isnull=True)),
    )
    visits = Visit.objects.filter(station__in=stations.values("id"), date__range=(start, end)).count()
    return StationFigures(**five, **extra, visits=visits)


def per_station_rows(stations: QuerySet[Station], year: int, summary=None) -> list[dict]:
    """Each station's own figures (not its subtree's), so the rows add up to the total. Three queries."""
    start, end = year_bounds(year)
    stations = list(stations.order_by("kind", "name"))
    if summary is not None:
        counts = summaries.per_station(stations, start, end)
        return [
            {
                "station": station,
                "visits_person_times": counts[station.id]["person_times"],
                **{k: counts[station.id][k] for k in ("opinions", "answered_on_site", "escalated", "resolved")},
            }
            for station in stations
        ]
    ids = [s.id for s in stations]
    visit_rows = dict(
        Visit.objects.filter(station_id__in=ids, date__range=(start, end))
        .order_by()
        .values("station_id")
        .annotate(n=Sum("headcount"))
        .values_list("station_id", "n")
    )
    opinion_rows = {
        row["station_id"]: row
        for row in Opinion.objects.filter(station_id__in=ids, received_on__range=(start, end))
        .order_by()
        .values("station_id")
        .annotate(
            opinions=Count("id"),
            answered_on_site=Count("id", filter=Q(outcome=OpinionOutcome.ANSWERED_ON_SITE)),
            escalated=Count("id", filter=Q(outcome=OpinionOutcome.ESCALATED)),
            resolved=Count("id", filter=Q(resolved_at__isnull=False)),
        )
    }
    rows = []
    for station in stations:
        o = opinion_rows.get(station.id, {})
        rows.append(
            {
                "station": station,
                "visits_person_times": visit_rows.get(station.id) or 0,
                "opinions": o.get("opinions", 0),
                "answered_on_site": o.get("answered_on_site", 0),
                "escalated": o.get("escalated", 0),
                "resolved": o.get("resolved", 0),
            }
        )
    return rows


def opinions_by_category(stations: QuerySet[Station], year: int, summary=None) -> list[dict]:
    """Opinions per category with their outcomes, largest first (categories with none left out). One query."""
    start, end = year_bounds(year)
    if summary is not None:
        rows = [row for row in summaries.by_category(stations, start, end) if row["total"]]
    else:
        rows = (
            Opinion.objects.filter(station__in=stations.values("id"), received_on__range=(start, end))
            .order_by()
            .values("category")
            .annotate(
                total=Count("id"),
                answered_on_site=Count("id", filter=Q(outcome=OpinionOutcome.ANSWERED_ON_SITE)),
                escalated=Count("id", filter=Q(outcome=OpinionOutcome.ESCALATED)),
                resolved=Count("id", filter=Q(resolved_at__isnull=False)),
            )
        )
    labels = dict(OpinionCategory.choices)
    result = [{**row, "label": labels.get(row["category"], row["category"])} for row in rows]
    result.sort(key=lambda r: (-r["total"], r["category"]))
    return result


def monthly_series(stations: QuerySet[Station], year: int, summary=None) -> dict[str, list[int]]:
    """Person-times, opinions and visits per month of ``year``. Two queries."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    person_times, visits, opinions = [0] * 12, [0] * 12, [0] * 12
    if summary is not None:
        for (_year, month), values in summaries.monthly(stations, start, end).items():
            person_times[month - 1] = values["person_times"]
            visits[month - 1] = values["visits"]
            opinions[month - 1] = values["opinions"]
        return {"person_times": person_times, "visits": visits, "opinions": opinions}
    for month, total, n in (
        Visit.objects.filter(station__in=stations.values("id"), date__range=(start, end))
        .order_by()
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(total=Sum("headcount"), n=Count("id"))
        .values_list("month", "total", "n")
    ):
        person_times[month - 1], visits[month - 1] = total or 0, n
    for month, n in (
        Opinion.objects.filter(station__in=stations.values("id"), received_on__range=(start, end))
        .order_by()
        .annotate(month=ExtractMonth("received_on"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    ):
        opinions[month - 1] = n
    return {"person_times": person_times, "visits": visits, "opinions": opinions}


def reception_day_counts(stations: QuerySet[Station], year: int) -> dict:
    """Reception days held (up to today) and cancelled in the year. One query."""
    start, end = year_bounds(year)
    return ReceptionDay.objects.filter(station__in=stations.values("id"), date__range=(start, end)).aggregate(
        held=Count("id", filter=Q(is_cancelled=False)), cancelled=Count("id", filter=Q(is_cancelled=True))
    )


def activities_of(stations: QuerySet[Station], year: int) -> list[Activity]:
    """Activities of the year with the number of deputies present. One query."""
    start, end = year_bounds(year)
    return list(
        Activity.objects.filter(station__in=stations.values("id"), date__range=(start, end))
        .select_related("station")
        .annotate(present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)))
        .order_by("date", "id")
    )


# --- Suggestions ------------------------------------------------------------------------------------


def assigned_suggestions(year: int, station: Station | None = None) -> QuerySet[Suggestion]:
    """The population of the suggestion metrics of ``year`` (``suggestions.periods``, cohort basis): first
    submitted in ``year``, assigned (交办) and not withdrawn."""
    queryset = Suggestion.objects.filter(counted_q(), cohort_q(Period.of_year(year)))
    if station is not None:
        # The station's deputies named first (one query): their suggestions are then read on the lead
        # deputy's index, not picked out of the whole year's (PostgreSQL misjudges the station filter
        # and scans every suggestion of the year at city scale).
        deputy_ids = list(Deputy.objects.filter(deputies_of_station_q(station.id)).values_list("id", flat=True))
        queryset = queryset.filter(lead_deputy_id__in=deputy_ids)
    return queryset


def suggestion_metrics(queryset: QuerySet[Suggestion], *, summary=None, year: int | None = None) -> dict:
    """The suggestion rates (docs/domain.md) over ``queryset`` (one query).

    With ``summary`` and ``year``, ``queryset`` is the whole ``assigned_suggestions(year)`` and the
    counts are read from the summary table instead.
    """
    if summary is not None and year is not None:
        return with_rates(summaries.suggestion_counts(year=year)[0])
    return with_rates(queryset.aggregate(**metric_aggregates()))


def suggestion_metrics_by(
    queryset: QuerySet[Suggestion], group: str, *, summary=None, year: int | None = None
) -> list[dict]:
    """The same rates grouped by ``lead_unit`` or ``category``, most assigned first (one query)."""
    if summary is not None and year is not None:
        if group == "lead_unit":
            rows = summaries.suggestion_counts(year=year, group="lead_unit")
            result = [
                {
                    **with_rates(row),
                    "lead_unit_id": row["key"][0],
                    "lead_unit__name": row["key"][1],
                    "label": row["key"][1] or "—",
                }
                for row in rows
            ]
        else:
            labels = dict(OpinionCategory.choices)
            rows = summaries.suggestion_counts(year=year, group="category")
            result = [
                {**with_rates(row), "category": row["key"], "label": labels.get(row["key"], row["key"])} for row in rows
            ]
        for row in result:
            row.pop("key")
        result.sort(key=lambda r: (-r["assigned"], str(r["label"])))
        return result
    if group == "lead_unit":
        rows = queryset.order_by().values("lead_unit_id", "lead_unit__name").annotate(**metric_aggregates())
        result = [{**with_rates(row), "label": row["lead_unit__name"] or "—"} for row in rows]
    else:
        labels = dict(OpinionCategory.choices)
        rows = queryset.order_by().values("category").annotate(**metric_aggregates())
        result = [{**with_rates(row), "label": labels.get(row["category"], row["category"])} for row in rows]
    result.sort(key=lambda r: (-r["assigned"], str(r["label"])))
    return result


def overdue_count(station: Station | None = None) -> int:
    """How many suggestions are overdue today (one query, served by the deadline indexes)."""
    today = timezone.localdate()
    queryset = Suggestion.objects.filter(overdue_q(today))
    if station is not None:
        queryset = queryset.filter(deputies_of_station_q(station.id, "lead_deputy__"))
    return queryset.count()


def key_supervision_count(station: Station | None = None) -> int:
    """How many open suggestions are under key supervision (one query)."""
    queryset = Suggestion.objects.filter(key_supervision=True).exclude(state__in=[State.CLOSED, State.WITHDRAWN])
    if station is not None:
        queryset = queryset.filter(deputies_of_station_q(station.id, "lead_deputy__"))
    return queryset.count()


def overdue_suggestions(station: Station | None = None, limit: int | None = None) -> list[Suggestion]:
    """Suggestions whose owed step is late today, most overdue first (one query)."""
    today = timezone.localdate()
    queryset = with_deadline(Suggestion.objects.select_related("lead_deputy", "lead_unit"), today).filter(
        overdue_q(today)
    )
    if station is not None:
        queryset = queryset.filter(deputies_of_station_q(station.id, "lead_deputy__"))
    queryset = queryset.order_by("deadline", "id")
    return list(queryset[:limit] if limit else queryset)


def key_supervision_suggestions(station: Station | None = None, limit: int | None = None) -> list[Suggestion]:
    """Suggestions flagged for key supervision (重点督办) that are not closed or withdrawn (one query)."""
    today = timezone.localdate()
    queryset = (
        with_deadline(Suggestion.objects.select_related("lead_deputy", "lead_unit", "key_supervisor"), today)
        .filter(key_supervision=True)
        .exclude(state__in=[State.CLOSED, State.WITHDRAWN])
    )
    if station is not None:
        queryset = queryset.filter(deputies_of_station_q(station.id, "lead_deputy__"))
    queryset = queryset.order_by("-overdue", "deadline", "id")
    return list(queryset[:limit] if limit else queryset)


def escalated_suggestions(stations: QuerySet[Station], year: int) -> list[Suggestion]:
    """Suggestions formed from the stations' opinions of the year (形成意见建议). One query."""
    start, end = year_bounds(year)
    return list(
        Suggestion.objects.filter(
            source_opinions__station__in=stations.values("id"), source_opinions__received_on__range=(start, end)
        )
        .exclude(state=State.DRAFT)
        .select_related("lead_deputy", "lead_unit")
        .distinct()
        .order_by("submitted_at", "id")
    )


# --- Deputies and duties -----------------------------------------------------------------------------


def deputies_of(station: Station | None) -> QuerySet[Deputy]:
    """Active deputies of a station (resident in, or holding a grid in, its subtree), or all of them."""
    queryset = Deputy.objects.filter(is_active=True)
    if station is not None:
        queryset = queryset.filter(deputies_of_station_q(station.id))
    return queryset.order_by("name", "id")


@dataclass
class ComplianceSummary:
    rows: list[dict] = field(default_factory=list)
    deputies: int = 0
    fully_compliant: int = 0
    # 双联: deputies who contacted voters at least the yearly number expected, of all ranked, and all contacts.
    contacts_required: int = VOTER_CONTACTS_PER_YEAR
    contacts_met: int = 0
    contacts_deputies: int = 0
    contacts_total: int = 0

    @property
    def rate(self) -> float | None:
        done = sum(r["done"] for r in self.rows)
        due = sum(r["due"] for r in self.rows)
        return _rate(done, due)


def _compliance(deputy_ids: list[int], year: int, summary=None) -> dict:
    if summary is not None and year >= (summary.first_year or year):
        return summaries.compliance_of(deputy_ids, year)
    return duty_compliance(deputy_ids, year)


def compliance_summary(ranked: list, year: int, summary=None) -> ComplianceSummary:
    """Per "四个一" duty: periods due and done over the ``ranked`` deputies; who met every due period; and
    who contacted voters as often as expected (from the ranking's counts). Two queries."""
    per_deputy = _compliance([row.deputy.id for row in ranked], year, summary)
    rows: dict[str, dict] = {}
    contacts = [row.counts.get(PointItem.VOTER_CONTACT, 0) for row in ranked]
    summary = ComplianceSummary(
        contacts_met=sum(1 for n in contacts if n >= VOTER_CONTACTS_PER_YEAR),
        contacts_deputies=len(contacts),
        contacts_total=sum(contacts),
    )
    for compliance in per_deputy.values():
        done, due = compliance_totals(compliance)
        if due:
            summary.deputies += 1
            if done == due:
                summary.fully_compliant += 1
        for c in compliance:
            row = rows.get(c.kind)
            if row is None:  # labels once per kind, not per deputy (thousands of translations otherwise)
                row = rows[c.kind] = {"kind": c.kind, "label": c.label, "required": c.required, "due": 0, "done": 0}
            row["due"] += c.due
            row["done"] += c.done
    summary.rows = [{**r, "rate": _rate(r["done"], r["due"])} for r in rows.values()]
    return summary


def compliance_overview(deputies: QuerySet[Deputy], year: int, summary=None) -> ComplianceSummary:
    """``compliance_summary`` of ``deputies`` without ranking them: from the deputies' year summary when it
    is fresh (two queries, nothing per deputy but a sum), else through the live ranking."""
    if summary is None or year < (summary.first_year or year):
        return compliance_summary(ranking(deputies, year), year)
    result = ComplianceSummary(contacts_deputies=deputies.count())
    if not result.contacts_deputies:
        return result
    totals = {kind.value: [0, 0] for kind in GridDutyKind}
    for compliance, contacts in summaries.compliance_and_contacts(deputies, year):
        result.contacts_total += contacts
        result.contacts_met += contacts >= VOTER_CONTACTS_PER_YEAR
        due = done = 0
        for kind, (kind_due, kind_done, _recorded) in compliance.items():
            totals[kind][0] += kind_due
            totals[kind][1] += kind_done
            due += kind_due
            done += kind_done
        if due:
            result.deputies += 1
            result.fully_compliant += done == due
    result.rows = [
        {
            "kind": kind.value,
            "label": str(kind.label),
            "required": required_label(DUTY_PERIODS[kind]),
            "due": totals[kind.value][0],
            "done": totals[kind.value][1],
            "rate": _rate(totals[kind.value][1], totals[kind.value][0]),
        }
        for kind in GridDutyKind
    ]
    return result


def deputy_compliance_rows(deputy_ids: list[int], year: int, summary=None) -> dict[int, tuple[int, int]]:
    return {deputy_id: compliance_totals(rows) for deputy_id, rows in _compliance(deputy_ids, year, summary).items()}


def attendance_count(deputy_ids: list[int], year: int) -> int:
    start, end = year_bounds(year)
    return ActivityAttendance.objects.filter(
        deputy_id__in=deputy_ids, status=AttendanceStatus.PRESENT, activity__date__range=(start, end)
    ).count()


# --- Livelihood ----------------------------------------------------------------------------------------


def livelihood_projects(year: int) -> tuple[YearCycle | None, list[Project]]:
    """The year's livelihood cycle and its projects with sub-item counts. Two queries."""
    cycle = YearCycle.objects.filter(year=year).first()
    if cycle is None:
        return None, []
    projects = list(
        Project.objects.filter(cycle=cycle)
        .select_related("responsible_unit")
        .annotate(
            sub_items_count=Count("sub_items", distinct=True), visits_count=Count("supervision_visits", distinct=True)
        )
        .order_by("id")
    )
    return cycle, projects


# --- Whole documents ----------------------------------------------------------------------------------


def station_year(station: Station, year: int) -> dict:
    """Everything the station annual report prints, computed live (about twenty queries, none per row)."""
    stations = Station.objects.within(station)
    deputies = deputies_of(station)
    ranked = ranking(deputies, year)
    deputy_ids = [row.deputy.id for row in ranked]
    return {
        "station": station,
        "year": year,
        "period": year_bounds(year),
        "figures": station_figures(stations, year),
        "per_station": per_station_rows(stations, year) if station.kind != "point" else [],
        "categories": opinions_by_category(stations, year),
        "monthly": monthly_series(stations, year),
        "reception_days": reception_day_counts(stations, year),
        "activities": activities_of(stations, year),
        "escalated_suggestions": escalated_suggestions(stations, year),
        "suggestions": suggestion_metrics(assigned_suggestions(year, station)),
        "ranking": ranked,
        "compliance": compliance_summary(ranked, year),
        "deputy_compliance": deputy_compliance_rows(deputy_ids, year),
        "attendance": attendance_count(deputy_ids, year),
    }


def street_year(year: int) -> dict:
    """Everything the street annual report prints, computed live (about twenty-five queries, none per row)."""
    stations = Station.objects.all()
    population = assigned_suggestions(year)
    ranked = ranking(deputies_of(None), year)
    cycle, projects = livelihood_projects(year)
    return {
        "year": year,
        "period": year_bounds(year),
        "station_count": stations.count(),
        "figures": station_figures(stations, year),
        "per_station": per_station_rows(stations, year),
        "categories": opinions_by_category(stations, year),
        "monthly": monthly_series(stations, year),
        "reception_days": reception_day_counts(stations, year),
        "activities": activities_of(stations, year),
        "suggestions": suggestion_metrics(population),
        "by_unit": suggestion_metrics_by(population, "lead_unit"),
        "by_category": suggestion_metrics_by(population, "category"),
        "overdue": overdue_suggestions(),
        "key_supervision": key_supervision_suggestions(),
        "ranking": ranked,
        "compliance": compliance_summary(ranked, year),
        "cycle": cycle,
        "projects": projects,
    }
