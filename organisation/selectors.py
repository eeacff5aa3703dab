from django.db.models import Q, QuerySet

from core.request_memo import memoized
from core.roles import Role
from core.scoping import scoped, station_or_ancestor_q
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
        staff=lambda user: Q(pk__in=staff_station_ids(user)),
        deputy=_stations_of_deputy,
        distinct=[Role.DEPUTY],
    )


def staff_station_ids(user) -> list[int]:
    """The ids of the stations in a staff member's subtree (a handful), read now (one small query).

    The staff's rows are then matched on their station column against literal ids
    (``station_id = ANY(…)``), a filter on the table's own scan. As an ``IN (subquery)`` of the
    tree walk, PostgreSQL planned a semi-join on top of a list's joins: at city scale it walked a
    whole index and joined every row before keeping the ~1 % of the staff's stations. Read once per
    request (``core.request_memo``): a page asks for it from its list, its counts and its filter choices.
    """
    return list(memoized(("staff_station_ids", user.pk), lambda: _read_staff_station_ids(user)))


def _read_staff_station_ids(user) -> tuple[int, ...]:
    # The staff member's own stations as an id subquery, matched against each station, its parent and its
    # grandparent (the same walk up as ``staff_station_q``): one join of the small station table with
    # itself, where matching the attachment table at each level of the tree took five joins.
    own = Station.staff.through.objects.filter(user_id=user.pk).values("station_id")
    subtree = station_or_ancestor_q("", "pk__in", own)
    return tuple(Station.objects.filter(subtree).order_by().values_list("id", flat=True))


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
        staff=lambda user: Q(centre__community__station__in=staff_station_ids(user)),
        deputy=lambda user: Q(assignments__deputy=user.deputy_id, assignments__end_date__isnull=True),
        distinct=[Role.DEPUTY],
    )


def communities_visible_to(user) -> QuerySet[Community]:
    """Communities served by a station ``user`` may see (built on ``stations_visible_to``)."""
    return Community.objects.filter(station__in=stations_visible_to(user)).select_related("station")


def grid_centres_visible_to(user) -> QuerySet[GridCentre]:
    """Grid centres in a community ``user`` may see."""
    return GridCentre.objects.filter(community__station__in=stations_visible_to(user)).select_related(
        "community__station"
    )
