"""The station pages: the list of stations the user may see, and one station with its place in the tree."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render

from core.roles import Role
from deputies.selectors import deputies_visible_to
from duties.models import GridAssignment
from organisation.filters import PageStationFilter, tree_order
from organisation.models import Community, Grid, GridCentre, Station, subtree_q
from organisation.selectors import grids_visible_to, stations_visible_to

PAGE_SIZE = 20


def _count_of(queryset):
    """A correlated COUNT(*) subquery: several counts on one row without multiplying joined rows."""
    counted = queryset.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _station_list_queryset(user):
    """Visible stations with their active resident deputies and the grids in their subtree counted."""
    here = OuterRef("pk")
    in_subtree = subtree_q(here, "centre__community__station__")
    resident = Station.resident_deputies.through.objects.filter(station=here, deputy__is_active=True)
    return stations_visible_to(user).annotate(
        resident_count=_count_of(resident), grid_count=_count_of(Grid.objects.filter(in_subtree))
    )


@login_required
def station_list(request):
    user = request.user
    stations = stations_visible_to(user)
    station_filter = PageStationFilter(
        request.GET or None, queryset=_station_list_queryset(user), request=request, stations=stations
    )
    page = Paginator(station_filter.qs.order_by(tree_order(), "name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "liaison/station_list.html", {"filter": station_filter, "page_obj": page})


def _grids_with_deputies(user):
    open_assignments = GridAssignment.objects.filter(end_date__isnull=True).select_related("deputy")
    return (
        grids_visible_to(user)
        .order_by("code")
        .prefetch_related(
            Prefetch(
                "assignments", queryset=open_assignments.order_by("role", "deputy__name"), to_attr="open_assignments"
            )
        )
    )


@login_required
def station_detail(request, pk):
    """A station, its place in the tree, resident deputies, and the communities → grid centres → grids below it.

    Only grids the user may see are listed (a deputy sees their own grids).
    """
    user = request.user
    visible = stations_visible_to(user)
    station = get_object_or_404(visible.select_related("parent__parent"), pk=pk)
    children = list(
        visible.filter(parent=station)
        .order_by("name")
        .prefetch_related(Prefetch("children", queryset=visible.order_by("name")))
    )
    ancestors = [a for a in (station.parent, station.parent.parent if station.parent else None) if a][::-1]

    residents = list(station.resident_deputies.filter(is_active=True).prefetch_related("terms").order_by("name"))
    # A hub or area station shows the communities of the stations below it too.
    in_subtree = subtree_q(station, "station__")
    communities = Community.objects.filter(in_subtree)
    centres = GridCentre.objects.all()
    if user.effective_role == Role.DEPUTY:
        # A deputy sees only their own grids: leave out the parts of the tree that hold none of them.
        own_grids = grids_visible_to(user).values("id")
        communities = communities.filter(
            id__in=Community.objects.filter(grid_centres__grids__in=own_grids).values("id")
        )
        centres = centres.filter(id__in=GridCentre.objects.filter(grids__in=own_grids).values("id"))
    communities = list(
        communities.select_related("station")
        .order_by("station__name", "name")
        .prefetch_related(
            Prefetch(
                "grid_centres",
                queryset=centres.order_by("name").prefetch_related(
                    Prefetch("grids", queryset=_grids_with_deputies(user))
                ),
            )
        )
    )
    # Link a station only when the user may open it.
    linked_station_ids = {ancestor.id for ancestor in ancestors} | {c.station_id for c in communities}
    visible_station_ids = set(visible.filter(id__in=linked_station_ids).values_list("id", flat=True))
    assigned_ids = {
        assignment.deputy_id
        for community in communities
        for centre in community.grid_centres.all()
        for grid in centre.grids.all()
        for assignment in grid.open_assignments
    }
    # Link a deputy's name only when the user may open their page.
    visible_deputy_ids = set(
        deputies_visible_to(user)
        .prefetch_related(None)
        .filter(id__in=assigned_ids | {deputy.id for deputy in residents})
        .values_list("id", flat=True)
    )
    context = {
        "station": station,
        "ancestors": [(ancestor, ancestor.id in visible_station_ids) for ancestor in ancestors],
        "visible_station_ids": visible_station_ids,
        "children": children,
        "residents": residents,
        "communities": communities,
        "grid_total": sum(len(centre.grids.all()) for c in communities for centre in c.grid_centres.all()),
        "visible_deputy_ids": visible_deputy_ids,
    }
    return render(request, "liaison/station_detail.html", context)
