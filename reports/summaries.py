"""Summary tables for the dashboards and statistics: rebuilt by a task, read when fresh.

Design (docs/architecture.md, "Precomputed statistics"): the figures of a year at city scale are
sums over hundreds of thousands of rows, and the ranking a dozen grouped passes over them; no
request can afford that. They are precomputed into the ``reports`` summary tables (per station, month
and category, and per station and month for the readers that need no category; per deputy and year;
per year, lead unit and category) by ``refresh()``, which the beat runs
every ``SCHEDULE_STATISTICS_MINUTES`` (``reports.refresh_statistics``). A refresh recomputes every
table from scratch in one transaction, so the summaries are by construction what computing the
figures from scratch gave at that moment (a test compares both on random data); readers see the
old tables until it commits.

Why a task rebuilding tables, not counters maintained by the services: the layers forbid it (the
services live below ``reports`` and may not import it, and counters kept in each app would scatter
the statistics over five apps); the figures depend on states that change long after the row was
written (an opinion of March resolved in November moves March's "resolved", a suggestion closed a
year later moves its year's closure rate), so every transition of every service, the admin, data
migrations and bulk imports would have to adjust the right counters, and one missed path makes the
figures drift silently and for ever; a rebuild cannot drift. The price is staleness: the summaries
are at most a few minutes old. Readers use them only while they are fresher than ``max_age()``
(three refresh intervals) and otherwise compute the figures live, so a stopped worker makes the
dashboards slow, never wrong. The annual reports (PDF) always compute live: a printed report must
be exact, and it reads one station's rows through indexes.
"""

import datetime
import time
from collections import defaultdict

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count, DateField, IntegerField, Min, Q, QuerySet, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, ExtractYear, TruncMonth

from core import clock
from core.periods import Basis, Period
from deputies.models import Deputy
from duties.models import DUTY_PERIODS, GridDutyKind
from liaison import selectors as liaison_selectors
from liaison.models import Opinion, OpinionOutcome, Visit
from reports.compliance import DutyCompliance, duty_compliance
from reports.metrics import FIGURE_KEYS, deputy_figures
from reports.models import (
    DeputyYear,
    OpinionActivityMonth,
    OpinionMonth,
    OpinionStationMonth,
    PointItem,
    StatisticsRefresh,
    SuggestionActivityYear,
    SuggestionYear,
    VisitMonth,
)
from suggestions.models import Suggestion
from suggestions.periods import COHORT_DATE, EVENTS, FIGURE_EVENTS, counted_q, event_moment
from suggestions.selectors import metric_aggregates

OPINION_COUNTS = ("opinions", "answered_on_site", "escalated", "resolved", "referred", "filed", "pending")
SUGGESTION_COUNTS = tuple(metric_aggregates())


def max_age() -> datetime.timedelta:
    """How old the summaries may be and still be read: three refresh intervals."""
    return 3 * datetime.timedelta(minutes=getattr(settings, "SCHEDULE_STATISTICS_MINUTES", 10))


def current() -> StatisticsRefresh | None:
    """The last refresh, when it is recent enough to read the summaries (one query)."""
    last = StatisticsRefresh.objects.order_by("-refreshed_at").first()
    if last is None or last.refreshed_at < clock.now() - max_age():
        return None
    return last


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_aligned(date_from: datetime.date | None, date_to: datetime.date | None) -> bool:
    """Whether a period is whole months (either end may be open), so the month summaries answer it."""
    if date_from is not None and date_from.day != 1:
        return False
    return date_to is None or (date_to + datetime.timedelta(days=1)).day == 1


# --- Rebuilding ---------------------------------------------------------------------------------------


def _insert_select(model, columns: list[str], queryset: QuerySet) -> None:
    """``INSERT INTO model (columns) SELECT …``: the grouped rows never leave the database."""
    sql, params = queryset.query.sql_with_params()
    table = model._meta.db_table
    with connections[router.db_for_write(model)].cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {sql}", params)


def _opinion_counts(prefix: str = "") -> dict:
    return {
        "opinions": Count("id"),
        "answered_on_site": Count("id", filter=Q(outcome=OpinionOutcome.ANSWERED_ON_SITE)),
        "escalated": Count("id", filter=Q(outcome=OpinionOutcome.ESCALATED)),
        "resolved": Count("id", filter=Q(resolved_at__isnull=False)),
        "referred": Count("id", filter=Q(outcome=OpinionOutcome.REFERRED)),
        "filed": Count("id", filter=Q(outcome=OpinionOutcome.FILED)),
        "pending": Count("id", filter=Q(outcome__isnull=True)),
    }


def first_year() -> int:
    """The first year with reception or suggestion data (the current year when there is none)."""
    today = clock.today()
    candidates = [
        Opinion.objects.aggregate(first=Min("received_on"))["first"],
        Visit.objects.aggregate(first=Min("date"))["first"],
        Suggestion.objects.aggregate(first=Min("created_at"))["first"],
    ]
    years = [c.year for c in candidates if c is not None]
    return min([*years, today.year])


@transaction.atomic
def refresh() -> dict:
    """Rebuild every summary table from scratch (one transaction); returns what was built."""
    started = time.monotonic()
    today = clock.today()
    for model in (
        OpinionMonth,
        OpinionStationMonth,
        OpinionActivityMonth,
        VisitMonth,
        DeputyYear,
        SuggestionYear,
        SuggestionActivityYear,
    ):
        model.objects.all().delete()

    _insert_select(
        OpinionMonth,
        ["station_id", "month", "category", *OPINION_COUNTS],
        Opinion.objects.order_by()
        .annotate(m=TruncMonth("received_on"))
        .values("station_id", "m", "category")
        .annotate(**_opinion_counts())
        .values_list("station_id", "m", "category", *OPINION_COUNTS),
    )
    # The same without the category, summed from the rows just written (a tenth as many as opinions' months).
    _insert_select(
        OpinionStationMonth,
        ["station_id", "month", *OPINION_COUNTS],
        OpinionMonth.objects.order_by()
        .values("station_id", "month")
        .annotate(**{f"{name}_sum": Sum(name) for name in OPINION_COUNTS})
        .values_list("station_id", "month", *(f"{name}_sum" for name in OPINION_COUNTS)),
    )
    # The activity basis (liaison.periods): outcomes by the month recorded, resolutions by the month resolved.
    activity_columns = ["station_id", "month", "answered_on_site", "escalated", "resolved"]
    _insert_select(
        OpinionActivityMonth,
        activity_columns,
        Opinion.objects.filter(outcome__in=[OpinionOutcome.ANSWERED_ON_SITE, OpinionOutcome.ESCALATED])
        .order_by()
        .annotate(m=TruncMonth("outcome_at", output_field=DateField()))
        .values("station_id", "m")
        .annotate(
            a=Count("id", filter=Q(outcome=OpinionOutcome.ANSWERED_ON_SITE)),
            e=Count("id", filter=Q(outcome=OpinionOutcome.ESCALATED)),
            r=Value(0),
        )
        .values_list("station_id", "m", "a", "e", "r"),
    )
    _insert_select(
        OpinionActivityMonth,
        activity_columns,
        Opinion.objects.filter(resolved_at__isnull=False)
        .order_by()
        .annotate(m=TruncMonth("resolved_at", output_field=DateField()))
        .values("station_id", "m")
        .annotate(a=Value(0), e=Value(0), r=Count("id"))
        .values_list("station_id", "m", "a", "e", "r"),
    )
    _insert_select(
        VisitMonth,
        ["station_id", "month", "visits", "person_times"],
        Visit.objects.order_by()
        .annotate(m=TruncMonth("date"))
        .values("station_id", "m")
        .annotate(n=Count("id"), pt=Sum("headcount"))
        .values_list("station_id", "m", "n", "pt"),
    )

    start_year = first_year()
    deputies = Deputy.objects.all()
    deputy_ids = list(deputies.values_list("id", flat=True))
    rows = []
    for year in range(start_year, today.year + 1):
        figures = deputy_figures(deputies, year)
        compliance = duty_compliance(deputy_ids, year)
        for deputy_id in deputy_ids:
            counts = figures.get(deputy_id, {})
            duties = {c.kind: [c.due, c.done, c.recorded] for c in compliance.get(deputy_id, [])}
            if any(counts.values()) or any(any(v) for v in duties.values()):
                rows.append(
                    DeputyYear(
                        deputy_id=deputy_id,
                        year=year,
                        figures={k: counts.get(k, 0) or 0 for k in FIGURE_KEYS},
                        compliance=duties,
                    )
                )
    DeputyYear.objects.bulk_create(rows, batch_size=2000)

    # Per year of the cohort (suggestions.periods: the year first submitted, in local time).
    grouped = (
        Suggestion.objects.filter(counted_q())
        .order_by()
        .annotate(cohort_year=ExtractYear(COHORT_DATE))
        .values("cohort_year", "lead_unit_id", "category")
        .annotate(**metric_aggregates())
    )
    SuggestionYear.objects.bulk_create(
        [
            SuggestionYear(
                year=row["cohort_year"],
                lead_unit_id=row["lead_unit_id"],
                category=row["category"],
                counts={k: row[k] for k in SUGGESTION_COUNTS},
            )
            for row in grouped
        ],
        batch_size=2000,
    )
    # The activity basis: each figure by the year of its own event (one grouped pass per event).
    everything = metric_aggregates()
    work: dict = defaultdict(lambda: dict.fromkeys(SUGGESTION_COUNTS, 0))
    for event in EVENTS:
        figures = [name for name in SUGGESTION_COUNTS if FIGURE_EVENTS[name] == event]
        for row in (
            Suggestion.objects.filter(counted_q())
            .order_by()
            .annotate(event_year=ExtractYear(event_moment(event)))
            .filter(event_year__isnull=False)
            .values("event_year", "lead_unit_id", "category")
            .annotate(**{name: everything[name] for name in figures})
        ):
            work[(row["event_year"], row["lead_unit_id"], row["category"])].update({k: row[k] for k in figures})
    SuggestionActivityYear.objects.bulk_create(
        [
            SuggestionActivityYear(year=year, lead_unit_id=unit_id, category=category, counts=counts)
            for (year, unit_id, category), counts in work.items()
        ],
        batch_size=2000,
    )
    seconds = time.monotonic() - started
    StatisticsRefresh.objects.all().delete()
    StatisticsRefresh.objects.create(refreshed_at=clock.now(), seconds=seconds, first_year=start_year)
    return {
        "opinion_months": OpinionMonth.objects.count(),
        "opinion_station_months": OpinionStationMonth.objects.count(),
        "opinion_activity_months": OpinionActivityMonth.objects.count(),
        "suggestion_activity_years": len(work),
        "visit_months": VisitMonth.objects.count(),
        "deputy_years": len(rows),
        "seconds": round(seconds, 1),
    }


# --- Reading ------------------------------------------------------------------------------------------


def _of_stations(model, stations: QuerySet) -> QuerySet:
    """The summary rows of ``stations``; every row when ``stations`` is every station (no filter to apply)."""
    if not stations.query.where:
        return model.objects.all()
    return model.objects.filter(station__in=stations.order_by().values("id"))


def _months(queryset: QuerySet, date_from, date_to) -> QuerySet:
    if date_from is not None:
        queryset = queryset.filter(month__gte=month_start(date_from))
    if date_to is not None:
        queryset = queryset.filter(month__lte=month_start(date_to))
    return queryset


def station_counts(stations: QuerySet, date_from, date_to) -> dict:
    """Opinion counts by outcome, visits and person-times of ``stations`` over whole months. Two queries."""
    opinions = _months(_of_stations(OpinionStationMonth, stations), date_from, date_to).aggregate(
        **{name: Sum(name) for name in OPINION_COUNTS}
    )
    visits = _months(_of_stations(VisitMonth, stations), date_from, date_to).aggregate(
        visits=Sum("visits"), person_times=Sum("person_times")
    )
    return {**{k: v or 0 for k, v in opinions.items()}, **{k: v or 0 for k, v in visits.items()}}


def station_statistics(*, stations, date_from, date_to, basis: str = Basis.COHORT) -> dict | None:
    """The five figures of ``liaison.selectors.station_statistics``, or None when the summaries cannot answer."""
    if not month_aligned(date_from, date_to) or current() is None:
        return None
    counts = station_counts(stations, date_from, date_to)
    figures = {
        "visits_person_times": counts["person_times"],
        "opinions": counts["opinions"],
        "answered_on_site": counts["answered_on_site"],
        "escalated": counts["escalated"],
        "resolved": counts["resolved"],
    }
    if basis == Basis.ACTIVITY:
        events = _months(_of_stations(OpinionActivityMonth, stations), date_from, date_to).aggregate(
            answered_on_site=Sum("answered_on_site"), escalated=Sum("escalated"), resolved=Sum("resolved")
        )
        figures.update({name: value or 0 for name, value in events.items()})
    return figures


def monthly(stations: QuerySet, date_from: datetime.date, date_to: datetime.date) -> dict:
    """{(year, month): {"person_times", "visits", "opinions"}} over whole months. Two queries."""
    result: dict = defaultdict(lambda: {"person_times": 0, "visits": 0, "opinions": 0})
    for month, pt, n in (
        _months(_of_stations(VisitMonth, stations), date_from, date_to)
        .order_by()
        .values("month")
        .annotate(pt=Sum("person_times"), n=Sum("visits"))
        .values_list("month", "pt", "n")
    ):
        result[(month.year, month.month)].update(person_times=pt or 0, visits=n or 0)
    for month, n in (
        _months(_of_stations(OpinionStationMonth, stations), date_from, date_to)
        .order_by()
        .values("month")
        .annotate(n=Sum("opinions"))
        .values_list("month", "n")
    ):
        result[(month.year, month.month)]["opinions"] = n or 0
    return result


def station_monthly_series(*, stations, date_from, date_to) -> list[dict] | None:
    """``liaison.selectors.station_monthly_series`` from the summaries, or None."""
    if not month_aligned(date_from, date_to) or current() is None:
        return None
    return liaison_selectors.monthly_series(monthly(stations, date_from, date_to), date_from, date_to)


def per_station(stations: list, date_from, date_to) -> dict[int, dict]:
    """{station id: counts} for each station's own rows over whole months. Two queries."""
    ids = [s.id for s in stations]
    rows: dict[int, dict] = defaultdict(lambda: dict.fromkeys((*OPINION_COUNTS, "visits", "person_times"), 0))
    for row in (
        _months(OpinionStationMonth.objects.filter(station_id__in=ids), date_from, date_to)
        .order_by()
        .values("station_id")
        .annotate(**{name: Sum(name) for name in OPINION_COUNTS})
    ):
        rows[row["station_id"]].update({k: row[k] or 0 for k in OPINION_COUNTS})
    for station_id, n, pt in (
        _months(VisitMonth.objects.filter(station_id__in=ids), date_from, date_to)
        .order_by()
        .values("station_id")
        .annotate(n=Sum("visits"), pt=Sum("person_times"))
        .values_list("station_id", "n", "pt")
    ):
        rows[station_id].update(visits=n or 0, person_times=pt or 0)
    return rows


def by_category(stations: QuerySet, date_from, date_to) -> list[dict]:
    """Opinion counts per category over whole months. One query."""
    return list(
        _months(_of_stations(OpinionMonth, stations), date_from, date_to)
        .order_by()
        .values("category")
        .annotate(
            total=Sum("opinions"),
            answered_on_site=Sum("answered_on_site"),
            escalated=Sum("escalated"),
            resolved=Sum("resolved"),
        )
    )


def compliance_of(deputy_ids, year: int) -> dict[int, list[DutyCompliance]]:
    """``reports.compliance.duty_compliance`` from the summary (a deputy without a row owes nothing). One query."""
    deputy_ids = list(deputy_ids)
    stored = dict(DeputyYear.objects.filter(year=year, deputy_id__in=deputy_ids).values_list("deputy_id", "compliance"))
    kinds = [(kind.value, str(kind.label), DUTY_PERIODS[kind]) for kind in GridDutyKind]
    result = {}
    for deputy_id in deputy_ids:
        duties = stored.get(deputy_id, {})
        result[deputy_id] = [
            DutyCompliance(
                kind=kind,
                label=label,
                period=period,
                due=duties.get(kind, [0, 0, 0])[0],
                done=duties.get(kind, [0, 0, 0])[1],
                recorded=duties.get(kind, [0, 0, 0])[2],
            )
            for kind, label, period in kinds
        ]
    return result


def compliance_and_contacts(deputies: QuerySet, year: int) -> list[tuple[dict, int]]:
    """For each of ``deputies`` with a row of ``year``: its "四个一" compliance ({kind: [due, done, recorded]})
    and its voter contacts. One query, no model instances: what the dashboard's duty table sums."""
    rows = DeputyYear.objects.filter(year=year, deputy__in=deputies.order_by().values("id"))
    return [
        (compliance, (figures or {}).get(PointItem.VOTER_CONTACT, 0))
        for compliance, figures in rows.values_list("compliance", "figures")
    ]


def suggestion_counts(
    *, year=None, unit=None, category=None, group: str | None = None, basis: str = Basis.COHORT
) -> list[dict]:
    """Summed ``metric_aggregates`` counts, optionally per ``lead_unit`` or ``category``. One query."""
    rows = (SuggestionActivityYear if basis == Basis.ACTIVITY else SuggestionYear).objects.all()
    if year is not None:
        rows = rows.filter(year=year)
    if unit is not None:
        rows = rows.filter(lead_unit=unit)
    if category:
        rows = rows.filter(category=category)
    # Summed in the database from the JSON counts: one row (or one per group) leaves it, not every year's.
    sums = {name: Sum(Cast(KeyTextTransform(name, "counts"), IntegerField())) for name in SUGGESTION_COUNTS}
    if group is None:
        return [{name: value or 0 for name, value in rows.aggregate(**sums).items()}]
    keys = ["lead_unit_id", "lead_unit__name"] if group == "lead_unit" else ["category"]
    return [
        {
            "key": (row["lead_unit_id"], row["lead_unit__name"]) if group == "lead_unit" else row["category"],
            **{name: row[name] or 0 for name in SUGGESTION_COUNTS},
        }
        for row in rows.order_by().values(*keys).annotate(**sums)
    ]


def _whole_years(period: Period) -> tuple[bool, int | None]:
    """Whether the summaries (per year) answer this period, and the year to read (None: every year)."""
    if period.unbounded:
        return True, None
    return period.year is not None, period.year


def suggestion_stats(
    *, user, station=None, unit=None, deputy=None, period: Period, basis: str, category=None
) -> dict | None:
    """The counts behind ``suggestions.selectors.suggestion_stats`` for a reader who sees everything.

    None (compute live) for narrower readers and for the station and deputy filters: their
    populations are small and read through the lead deputy's and lead unit's indexes; None also for
    periods other than one calendar year or all time.
    """
    answers, year = _whole_years(period)
    if not answers or station is not None or deputy is not None or not (user.is_active and user.sees_everything):
        return None
    if current() is None:
        return None
    return suggestion_counts(year=year, unit=unit, category=category, basis=basis)[0]


def suggestion_stats_by_unit(*, user, period: Period, basis: str, category=None) -> list[dict] | None:
    """The rows behind ``suggestions.selectors.suggestion_stats_by_unit`` (same conditions as above)."""
    answers, year = _whole_years(period)
    if not answers or not (user.is_active and user.sees_everything) or current() is None:
        return None
    rows = suggestion_counts(year=year, category=category, group="lead_unit", basis=basis)
    return [{"lead_unit_id": row["key"][0], "lead_unit__name": row["key"][1], **row} for row in rows]


def register() -> None:
    """Offer the summaries to the lower apps' statistics (``core.precomputed``)."""
    from core import precomputed

    precomputed.provide("station_statistics", station_statistics)
    precomputed.provide("station_monthly_series", station_monthly_series)
    precomputed.provide("suggestion_stats", suggestion_stats)
    precomputed.provide("suggestion_stats_by_unit", suggestion_stats_by_unit)
