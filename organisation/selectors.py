from django.db.models import Q, QuerySet

from core.scoping import scoped, staff_station_q
from organisation.models import Community, Grid, GridCentre, Station


def stations_visible_to(user) -> QuerySet[Station]:
    """Stations ``user`` may see, with their parent loaded.

    - office, leaders, admins: all;
    - station staff: their stations and everything below them;
    - a deputy: stations where they are resident or that hold a grid they are assigned to;
    - unit officers and anyone else: none.
    """
    return scoped(
        user,
        Station.objects.select_related("parent"),
        staff=staff_station_q,
        deputy=_stations_of_deputy,
    )


def _stations_of_deputy(user) -> Q:
    return Q(resident_deputies=user.deputy_id) | Q(
        communities__grid_centres__grids__assignments__deputy=user.deputy_id,
        communities__grid_centres__grids__assignments__end_date__isnull=True,
    )


def grids_visible_to(user) -> QuerySet[Grid]:
    """Grids ``user`` may see, with centre, community and station loaded.

    Station staff see the grids of their stations' communities; a deputy sees the
    grids they are assigned to; office, leaders and admins see all.
    """
    return scoped(
        user,
        Grid.objects.select_related("centre__community__station"),
        staff=lambda user: staff_station_q(user, "centre__community__station__"),
        deputy=lambda user: Q(assignments__deputy=user.deputy_id, assignments__end_date__isnull=True),
    )


def communities_visible_to(user) -> QuerySet[Community]:
    """Communities served by a station ``user`` may see (built on ``stations_visible_to``)."""
    return Community.objects.filter(station__in=stations_visible_to(user)).select_related("station")


def grid_centres_visible_to(user) -> QuerySet[GridCentre]:
    """Grid centres in a community ``user`` may see."""
    return GridCentre.objects.filter(community__station__in=stations_visible_to(user)).select_related(
        "community__station"
    )
