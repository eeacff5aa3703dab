from django.db.models import Prefetch, Q, QuerySet

from core.roles import Role
from core.scoping import scoped
from deputies.models import Deputy, Term
from organisation.models import Station, subtree_q
from organisation.selectors import staff_station_ids

# The path from a deputy to the station of a grid they are assigned to (open assignments only).
_ASSIGNED_STATION = "grid_assignments__grid__centre__community__station__"


def deputies_visible_to(user) -> QuerySet[Deputy]:
    """Deputies ``user`` may see, with terms prefetched.

    - office, leaders, admins: all;
    - station staff: deputies resident at, or assigned to a grid of, a station in their subtree;
    - a deputy: themselves, members of their groups, and deputies sharing one of their grids;
    - unit officers and anyone else: none.
    """
    return scoped(
        user,
        Deputy.objects.prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("level"))),
        staff=_deputies_of_staff,
        deputy=_deputies_of_deputy,
        distinct=[Role.DEPUTY],
    )


def _deputies_of_staff(user) -> Q:
    # The staff's stations as literal ids (``organisation.selectors.staff_station_ids``), not a tree walk per row,
    # and each way of belonging to them as its own id subquery, read from the station side by index: as one
    # OR over the joins from every deputy, PostgreSQL hash-joined the whole roster and every grid (8 ms).
    stations = staff_station_ids(user)
    resident = Deputy.resident_stations.through.objects.filter(station_id__in=stations).values("deputy_id")
    # Grid assignments live in ``duties``, above this app: reached through the relation, not imported.
    assignments = Deputy._meta.get_field("grid_assignments").related_model._default_manager
    assigned = assignments.filter(end_date__isnull=True, grid__centre__community__station__in=stations).values(
        "deputy_id"
    )
    return Q(id__in=resident) | Q(id__in=assigned)


def _deputies_of_deputy(user) -> Q:
    return (
        Q(id=user.deputy_id)
        | Q(groups__members=user.deputy_id)
        | Q(
            grid_assignments__end_date__isnull=True,
            grid_assignments__grid__assignments__deputy=user.deputy_id,
            grid_assignments__grid__assignments__end_date__isnull=True,
        )
    )


def can_see_deputy_phone(user, deputy: Deputy) -> bool:
    """Deputies' phones are for the people who organise their work, and for themselves."""
    if user.sees_everything or user.effective_role == Role.STATION_STAFF:
        return True
    return user.effective_role == Role.DEPUTY and user.deputy_id == deputy.id


def deputies_of_station(station: Station, *, with_residents_above: bool = False) -> QuerySet[Deputy]:
    """Deputies who belong to ``station``: resident at it or at a station below it, or holding an
    open grid assignment in its subtree (the same reach as station staff's view of deputies).

    ``with_residents_above`` also admits the residents of the stations above it: hub and area
    deputies receive constituents at the points below them.
    """
    scope = subtree_q(station.id, "resident_stations__") | (
        Q(grid_assignments__end_date__isnull=True) & subtree_q(station.id, _ASSIGNED_STATION)
    )
    if with_residents_above:
        scope |= Q(resident_stations__children=station.id) | Q(resident_stations__children__children=station.id)
    return Deputy.objects.filter(id__in=Deputy.objects.filter(scope).values("id"))
