"""Who may act for a station: its staff (for it and the stations below it) and the office.

Reading is scoped by the selectors; these checks decide the actions. Each one may run
a query (noted below), so callers in loops should prefer the selectors.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.errors import PermissionRefused
from core.roles import Role
from core.scoping import staff_station_q
from organisation.models import Grid, Station

# Roles that run a station's front desk for the whole jurisdiction.
DESK_EVERYWHERE = (Role.OFFICE, Role.ADMIN)


def station_subtree_ids(station: Station) -> set[int]:
    """The station and every station below it (two levels at most). One query."""
    return {station.id, *Station.objects.within(station).values_list("id", flat=True)}


def check_grid_in_station(grid: Grid | None, station: Station, subtree: set[int], field: str = "grid") -> None:
    """Refuse a grid outside ``station``'s subtree (``subtree``: ``station_subtree_ids(station)``)."""
    if grid is not None and grid.centre.community.station_id not in subtree:
        raise ValidationError({field: [_("This grid does not belong to the station.")]})


def staff_covers_station(user, station_id: int) -> bool:
    """Station staff whose stations include ``station_id`` or one of its ancestors. One query."""
    if not user.has_role(Role.STATION_STAFF):
        return False
    return Station.objects.filter(staff_station_q(user), id=station_id).exists()


def can_run_desk(user, station_id: int) -> bool:
    """May keep this station's calendar, log its visits and triage its opinions."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.has_role(*DESK_EVERYWHERE):
        return True
    return staff_covers_station(user, station_id)


def require_desk(user, station_id: int) -> None:
    if not can_run_desk(user, station_id):
        raise PermissionRefused(_("Only this station's staff or the office may do this."))


def can_reveal_contact(user, *, station_id: int, referral_unit_id: int | None = None) -> bool:
    """Who may see a constituent's phone in full (always logged).

    Station staff of that station (or a station above it) and the office: they call
    constituents back. A handling-unit officer, for an opinion referred to their unit:
    they handle the matter. Leaders, deputies and everyone else see masked numbers only.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.has_role(*DESK_EVERYWHERE):
        return True
    if user.has_role(Role.UNIT_OFFICER):
        return referral_unit_id is not None and user.unit_id == referral_unit_id
    return staff_covers_station(user, station_id)
