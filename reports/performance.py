"""The performance file (履职档案): a deputy's year, assembled from what the product records.

The figures and the rank come from ``reports.metrics`` (which defines each figure), the
"四个一" compliance from ``reports.compliance``.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import ExtractMonth

from deputies.models import Deputy
from duties.models import (
    CONSTITUENT_LINKS_MIN,
    VOTER_CONTACTS_PER_YEAR,
    ActivityAttendance,
    AttendanceStatus,
    VoterContact,
)
from liaison.models import Opinion, ReceptionDay, Visit
from livelihood.models import SupervisionVisit
from reports.compliance import DutyCompliance, compliance_totals, duty_compliance
from reports.metrics import DeputyFigures, counted_suggestions, peer_ranking, ranking, year_bounds
from suggestions.models import CoSignStatus


@dataclass
class PerformanceFile:
    """Everything the file page and the 履职报告 PDF show for one deputy and year."""

    deputy: Deputy
    year: int
    period: tuple[datetime.date, datetime.date]
    figures: DeputyFigures
    rank: int | None
    ranked: int
    compliance: list[DutyCompliance]
    terms: list
    groups: list
    assignments: list
    resident_stations: list
    reception_days: list
    activities: list
    suggestions_led: list
    suggestions_cosigned: list
    projects: list
    voter_contacts: list
    constituent_links: int
    monthly_visits: list[int]
    monthly_opinions: list[int]

    @property
    def reception_by_month(self) -> list[dict]:
        """Reception days served grouped by month and station, for a compact table."""
        groups: dict = {}
        for day in self.reception_days:
            groups.setdefault((day.date.month, day.station.name), []).append(day.date.day)
        return [{"month": m, "station": st, "days": days} for (m, st), days in sorted(groups.items())]

    @property
    def voter_contact_people(self) -> int:
        return sum(contact.people for contact in self.voter_contacts)

    @property
    def voter_contacts_required(self) -> int:
        return VOTER_CONTACTS_PER_YEAR

    @property
    def constituent_links_required(self) -> int:
        return CONSTITUENT_LINKS_MIN

    @property
    def duties_done(self) -> int:
        return compliance_totals(self.compliance)[0]

    @property
    def duties_due(self) -> int:
        return compliance_totals(self.compliance)[1]

    @property
    def duty_rate(self) -> float | None:
        done, due = compliance_totals(self.compliance)
        return done / due if due else None


def _monthly(queryset, date_field: str, year: int, value=None) -> list[int]:
    aggregate = Sum(value) if value else Count("id", distinct=True)
    rows = (
        queryset.order_by()
        .annotate(month=ExtractMonth(date_field))
        .values("month")
        .annotate(n=aggregate)
        .values_list("month", "n")
    )
    months = [0] * 12
    for month, n in rows:
        months[month - 1] = n or 0
    return months


def performance_file(deputy: Deputy, year: int, *, peers: list[DeputyFigures] | None = None) -> PerformanceFile:
    """Assemble the file of ``deputy`` for ``year`` (about fifteen queries, none per row).

    The rank is among active deputies of the same kind (congress deputies or
    deliberation representatives), since 优秀代表 are chosen within each. A batch
    passes ``peers`` (``peer_ranking``) computed once, instead of once per deputy.
    """
    start, end = year_bounds(year)
    rows = peers if peers is not None else peer_ranking(deputy.kind, year)
    mine = next((row for row in rows if row.deputy.id == deputy.id), None)
    if mine is None:  # an inactive deputy is not ranked; their own figures still are
        mine = ranking(Deputy.objects.filter(id=deputy.id), year)[0]
        mine.rank = None
    visits = Visit.objects.filter(date__range=(start, end), deputies=deputy)
    opinions = Opinion.objects.filter(received_on__range=(start, end)).filter(
        Q(deputy=deputy) | Q(visit__deputies=deputy)
    )
    days = (
        ReceptionDay.objects.filter(date__range=(start, end), is_cancelled=False)
        .filter(Q(roster__deputy=deputy) | Q(roster__group__members=deputy))
        .select_related("station")
        .distinct()
        .order_by("date", "station__name")
    )
    led = (
        counted_suggestions(year).filter(lead_deputy=deputy).select_related("lead_unit").order_by("submitted_at", "id")
    )
    cosigned = (
        counted_suggestions(year)
        .filter(cosignatures__deputy=deputy, cosignatures__status=CoSignStatus.CONFIRMED)
        .select_related("lead_unit", "lead_deputy")
        .order_by("submitted_at", "id")
    )
    projects = (
        SupervisionVisit.objects.filter(deputy=deputy, visited_on__range=(start, end))
        .values("project_id", "project__title", "project__responsible_unit__name", "project__progress_percent")
        .annotate(visits=Count("id"), last_visit=Max("visited_on"))
        .order_by("project__title")
    )
    return PerformanceFile(
        deputy=deputy,
        year=year,
        period=(start, end),
        figures=mine,
        rank=mine.rank,
        ranked=len(rows),
        compliance=duty_compliance([deputy.id], year)[deputy.id],
        terms=list(deputy.terms.order_by("level")),
        groups=list(deputy.groups.order_by("name")),
        assignments=list(
            deputy.grid_assignments.filter(Q(end_date__isnull=True) | Q(end_date__gte=start), start_date__lte=end)
            .select_related("grid__centre__community__station")
            .order_by("grid__code")
        ),
        resident_stations=list(deputy.resident_stations.order_by("name")),
        reception_days=list(days),
        activities=list(
            ActivityAttendance.objects.filter(
                deputy=deputy, status=AttendanceStatus.PRESENT, activity__date__range=(start, end)
            )
            .select_related("activity__station")
            .order_by("activity__date", "activity_id")
        ),
        suggestions_led=list(led),
        suggestions_cosigned=list(cosigned),
        projects=list(projects),
        voter_contacts=list(
            VoterContact.objects.filter(deputy=deputy, date__range=(start, end)).order_by("date", "id")
        ),
        constituent_links=deputy.constituent_links.count(),
        monthly_visits=_monthly(visits, "date", year),
        monthly_opinions=_monthly(opinions, "received_on", year),
    )
