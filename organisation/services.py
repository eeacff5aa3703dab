"""Changes to the organisation: the 1+4+N station tree, communities, grid centres and grids.

Every function takes keyword-only arguments and runs in one transaction. Bad input
raises Django's ``ValidationError`` (field → messages) and writes nothing; a change
the rules refuse outright (deleting a station that still has stations under it)
raises ``ActionRefused``.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.errors import ActionRefused
from core.writes import check_allowed_fields, clean_instance, delete_instance, locked, save_instance
from organisation.models import PARENT_KIND, Community, Grid, GridCentre, Station, StationKind

STATION_FIELDS = ("name", "kind", "parent", "address", "opening_hours", "phone", "is_active")
COMMUNITY_FIELDS = ("name", "station")
GRID_CENTRE_FIELDS = ("name", "community")
GRID_FIELDS = ("centre", "name", "code", "households")


# --- helpers ----------------------------------------------------------------------------------------------------


# --- stations: the 1+4+N tree ---------------------------------------------------------------------------------


def _parent_rule(kind: str) -> str:
    if kind == StationKind.AREA:
        return _("An area station must sit under a hub.")
    return _("A community point must sit under an area station.")


def _check_tree(*, station: Station, kind: str, parent: Station | None) -> None:
    """The tree has three levels: a hub at the root, area stations under a hub, community points under an area."""
    errors = {}
    if kind == StationKind.HUB:
        if parent is not None:
            errors["parent"] = _("A hub is the root of the tree and has no parent station.")
    elif kind in PARENT_KIND:
        if parent is None or parent.kind != PARENT_KIND[kind] or (station.pk and parent.pk == station.pk):
            errors["parent"] = _parent_rule(kind)
    if station.pk and kind != station.kind:
        for child in station.children.all():
            if PARENT_KIND.get(child.kind) != kind:
                errors["kind"] = _(
                    "Stations sit under this one and need it to stay a %(kind)s; move them elsewhere first."
                ) % {"kind": StationKind(station.kind).label}
                break
    if errors:
        raise ValidationError(errors)


def _update(instance: models.Model, fields: dict, allowed, service: str, *, clean=None) -> models.Model:
    """Set ``fields`` on ``instance`` re-read under a row lock, validate (default ``clean_instance``), save."""
    check_allowed_fields(fields, allowed, service)
    instance = locked(type(instance), instance)
    for field, value in fields.items():
        setattr(instance, field, value)
    (clean or clean_instance)(instance)
    save_instance(instance)
    return instance


@transaction.atomic
def station_create(
    *,
    name: str,
    kind: str,
    address: str,
    parent: Station | None = None,
    opening_hours: str = "",
    phone: str = "",
    is_active: bool = True,
    resident_deputies: Iterable = (),
) -> Station:
    """Add a station to the tree: a hub has no parent, an area station sits under a hub, a point under an area.

    The parent row is locked so that its kind cannot change while the new station is placed under it.
    """
    if kind not in StationKind.values:
        raise ValidationError({"kind": _("Unknown station kind.")})
    parent = locked(Station, parent)
    station = Station(
        name=name,
        kind=kind,
        parent=parent,
        address=address,
        opening_hours=opening_hours,
        phone=phone,
        is_active=is_active,
    )
    _check_tree(station=station, kind=kind, parent=parent)
    clean_instance(station)
    save_instance(station)
    station.resident_deputies.set(resident_deputies)
    return station


@transaction.atomic
def station_update(*, station: Station, resident_deputies: Iterable | None = None, **fields) -> Station:
    """Change a station; moving it or changing its kind keeps the tree valid for it and its children.

    ``resident_deputies`` replaces the current set when given.
    """
    check_allowed_fields(fields, STATION_FIELDS, "station_update")
    station = locked(Station, station)
    kind = fields.get("kind", station.kind)
    if kind not in StationKind.values:
        raise ValidationError({"kind": _("Unknown station kind.")})
    parent = locked(Station, fields["parent"]) if "parent" in fields else station.parent
    _check_tree(station=station, kind=kind, parent=parent)
    for field, value in fields.items():
        setattr(station, field, parent if field == "parent" else value)
    clean_instance(station)
    save_instance(station)
    if resident_deputies is not None:
        station.resident_deputies.set(resident_deputies)
    return station


@transaction.atomic
def station_delete(*, station: Station) -> None:
    """Delete a station entered by mistake; one that anything still hangs on is refused (deactivate it instead)."""
    station = locked(Station, station)
    if station.children.exists():
        raise ActionRefused(_("Other stations sit under this station; move or delete them first."), code="in_use")
    if station.communities.exists():
        raise ActionRefused(_("Communities are attached to this station; move them first."), code="in_use")
    if station.staff.exists():
        raise ActionRefused(
            _("Staff accounts are attached to this station; give them another station first."), code="in_use"
        )
    delete_instance(station, _("Other records still refer to this station; deactivate it instead."))


# --- communities, grid centres and grids ----------------------------------------------------------------------


@transaction.atomic
def community_create(*, name: str, station: Station) -> Community:
    """Record a community (社区) and the station that serves it."""
    community = Community(name=name, station=station)
    clean_instance(community)
    save_instance(community)
    return community


@transaction.atomic
def community_update(*, community: Community, **fields) -> Community:
    """Rename a community or hand it to another station (its grid centres and grids move with it)."""
    return _update(community, fields, COMMUNITY_FIELDS, "community_update")


@transaction.atomic
def grid_centre_create(*, name: str, community: Community) -> GridCentre:
    """Record a grid centre inside a community."""
    centre = GridCentre(name=name, community=community)
    clean_instance(centre)
    save_instance(centre)
    return centre


@transaction.atomic
def grid_centre_update(*, centre: GridCentre, **fields) -> GridCentre:
    """Rename a grid centre or move it to another community (its grids move with it)."""
    return _update(centre, fields, GRID_CENTRE_FIELDS, "grid_centre_update")


def _clean_grid(grid: Grid) -> None:
    try:
        clean_instance(grid)
    except ValidationError as exc:
        errors = exc.message_dict
        # The only model-wide rule of a grid is its unique name within the centre: report it on the name.
        if "non_field_errors" in errors:
            errors.setdefault("name", []).extend(errors.pop("non_field_errors"))
        raise ValidationError(errors) from None


@transaction.atomic
def grid_create(*, centre: GridCentre, name: str, code: str, households: int | None = None) -> Grid:
    """Create a unit grid; it belongs to exactly one grid centre and its name is unique there."""
    grid = Grid(centre=centre, name=name, code=code, households=households)
    _clean_grid(grid)
    save_instance(grid)
    return grid


@transaction.atomic
def grid_update(*, grid: Grid, **fields) -> Grid:
    """Change a grid's details or move it to another grid centre."""
    return _update(grid, fields, GRID_FIELDS, "grid_update", clean=_clean_grid)


@transaction.atomic
def grid_delete(*, grid: Grid) -> None:
    """Delete a grid entered by mistake; one with assignments or other records is refused."""
    grid = locked(Grid, grid)
    if grid.assignments.exists():
        raise ActionRefused(
            _("Deputies have been assigned to this grid; its history must be kept, so it cannot be deleted."),
            code="in_use",
        )
    delete_instance(grid, _("Other records still refer to this grid, so it cannot be deleted."))
