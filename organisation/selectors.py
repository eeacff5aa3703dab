from django.db.models import Q, QuerySet

from core.roles import Role
from core.scoping import staff_station_q
from organisation.models import Grid, Station


def stations_visible_to(user) -> QuerySet[Station]:
    """Stations ``user`` may see, with their parent loaded.

    - office, leaders, admins: all;
    - station staff: their stations and everything below them;
    - a deputy: stations where they are resident or that hold a grid they are assigned to;
    - unit officers and anyone else: none.
    """
    base = Station.objects.select_related("parent")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.sees_everything:
        return base
    role = user.effective_role
    if role == Role.STATION_STAFF:
        scope = staff_station_q(user)
    elif role == Role.DEPUTY and user.deputy_id:
        scope = Q(resident_deputies=user.deputy_id) | Q(
            communities__grid_centres__grids__assignments__deputy=user.deputy_id,
            communities__grid_centres__grids__assignments__end_date__isnull=True,
        )
    else:
        return base.none()
    return base.filter(id__in=Station.objects.filter(scope).values("id"))


def grids_visible_to(user) -> QuerySet[Grid]:
    """Grids ``user`` may see, with centre, community and station loaded.

    Station staff see the grids of their stations' communities; a deputy sees the
    grids they are assigned to; office, leaders and admins see all.
    """
    base = Grid.objects.select_related("centre__community__station")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.sees_everything:
        return base
    role = user.effective_role
    if role == Role.STATION_STAFF:
        scope = staff_station_q(user, "centre__community__station__")
    elif role == Role.DEPUTY and user.deputy_id:
        scope = Q(assignments__deputy=user.deputy_id, assignments__end_date__isnull=True)
    else:
        return base.none()
    return base.filter(id__in=Grid.objects.filter(scope).values("id"))
