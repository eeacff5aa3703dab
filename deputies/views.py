from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.masking import mask_phone
from deputies.filters import DeputyFilter
from deputies.models import DeputyGroup
from deputies.selectors import can_see_deputy_phone, deputies_visible_to
from organisation.selectors import stations_visible_to

PAGE_SIZE = 20


def _shown_phone(user, deputy) -> str:
    phone = deputy.phone
    return phone if can_see_deputy_phone(user, deputy) else mask_phone(phone)


def _current_level_labels(deputy, year: int) -> list[str]:
    """Labels of the terms running this year, from the prefetched ``terms`` (no query)."""
    return [
        term.get_level_display()
        for term in deputy.terms.all()
        if term.start_year <= year and (term.end_year is None or term.end_year >= year)
    ]


@login_required
def deputy_list(request):
    user = request.user
    stations = stations_visible_to(user)
    deputies = deputies_visible_to(user).prefetch_related(
        Prefetch("groups", queryset=DeputyGroup.objects.order_by("name"))
    )
    deputy_filter = DeputyFilter(request.GET or None, queryset=deputies, request=request, stations=stations)
    page = Paginator(deputy_filter.qs.order_by("name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    year = timezone.localdate().year
    for deputy in page:
        deputy.shown_phone = _shown_phone(user, deputy)
        deputy.current_levels = _current_level_labels(deputy, year)
    return render(request, "deputies/deputy_list.html", {"filter": deputy_filter, "page_obj": page})


@login_required
def deputy_detail(request, pk):
    user = request.user
    deputies = deputies_visible_to(user).prefetch_related(
        Prefetch("groups", queryset=DeputyGroup.objects.select_related("leader").order_by("name")),
        "committee_contacts__committee_member",
        "contact_links__deputy",
    )
    # Where an imported deputy came from (the ledger import's record, read by its relation's name).
    deputy = get_object_or_404(
        deputies.select_related("imported_from__batch", "imported_from__updated_by_batch"), pk=pk
    )
    resident_stations = list(deputy.resident_stations.order_by("kind", "name"))
    assignments = list(
        deputy.grid_assignments.filter(end_date__isnull=True).select_related("grid__centre__community__station")
    )
    # Link a station only when the user may open it.
    station_ids = {station.id for station in resident_stations} | {
        assignment.grid.centre.community.station_id for assignment in assignments
    }
    visible_station_ids = set(stations_visible_to(user).filter(id__in=station_ids).values_list("id", flat=True))
    year = timezone.localdate().year
    context = {
        "deputy": deputy,
        "can_see_phone": can_see_deputy_phone(user, deputy),
        "shown_phone": _shown_phone(user, deputy),
        "current_levels": _current_level_labels(deputy, year),
        "year": year,
        "resident_stations": resident_stations,
        "assignments": assignments,
        "visible_station_ids": visible_station_ids,
        "constituent_count": deputy.constituent_links.count(),
    }
    return render(request, "deputies/deputy_detail.html", context)
