"""The station desk, shared by the reception pages (liaison) and the duty pages (duties): the roles that
run or read a desk, the stations a user runs, how refusals are shown, and the page size.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.pagination import EstimatedPaginator
from core.roles import Role
from organisation.models import Station
from organisation.selectors import stations_visible_to

PAGE_SIZE = 50
DESK_ROLES = (Role.STATION_STAFF, Role.OFFICE, Role.ADMIN)
READ_ROLES = (Role.STATION_STAFF, Role.OFFICE, Role.LEADER, Role.ADMIN)


def require_role(user, *roles):
    if not user.has_role(*roles):
        raise PermissionDenied(_("This page is not available for your role."))


def desk_stations(user):
    """Stations where ``user`` runs the desk: their subtree for staff, every station for the office."""
    if user.has_role(Role.OFFICE, Role.ADMIN):
        return Station.objects.filter(is_active=True)
    if user.has_role(Role.STATION_STAFF):
        return stations_visible_to(user).filter(is_active=True)
    return Station.objects.none()


def own_station(user):
    """The one station a staff member is linked to, which their forms preselect; None for anyone else
    (several stations, or another role)."""
    if not user.has_role(Role.STATION_STAFF):
        return None
    linked = list(user.stations.filter(is_active=True).order_by("id")[:2])
    return linked[0] if len(linked) == 1 else None


# Bad input goes on the form, an action refused comes back as a message, a permission refused
# is the 403 page.
DESK = {"refusals": "messages", "raise_forbidden": True}


def paginate(request, queryset):
    """A page of ``queryset`` by ``?page=``, without an exact count of a big set (``core.pagination``)."""
    return EstimatedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
