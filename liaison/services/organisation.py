"""Changes to the organisation: the 1+4+N station tree, communities, grid centres, grids and grid assignments.

Every function takes keyword-only arguments and runs in one transaction. Bad input
raises Django's ``ValidationError`` (field → messages) and writes nothing; a change
the rules refuse outright (deleting a station that still has stations under it)
raises ``ActionRefused``.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from core.errors import ActionRefused
from deputies.models import Deputy
from liaison.models import (
    PARENT_KIND,
    Community,
    Grid,
    GridAssignment,
    GridCentre,
    GridMode,
    GridRole,
    Station,
    StationKind,
)

STATION_FIELDS = ("name", "kind", "parent", "address", "opening_hours", "phone", "is_active")
COMMUNITY_FIELDS = ("name", "station")
GRID_CENTRE_FIELDS = ("name", "community")
GRID_FIELDS = ("centre", "name", "code", "households")
ASSIGNMENT_FIELDS = ("role", "mode", "start_date", "end_date")


# --- helpers ----------------------------------------------------------------------------------------------------


def _clean(instance: models.Model) -> None:
    """``full_clean`` with model-wide errors reported under the API's ``non_field_errors`` key."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict
        if NON_FIELD_ERRORS in errors:
            errors.setdefault("non_field_errors", []).extend(errors.pop(NON_FIELD_ERRORS))
        raise ValidationError(errors) from None


def _save(instance: models.Model) -> None:
    """Save inside a savepoint; a constraint that a concurrent write broke becomes a validation error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(
            {"non_field_errors": [_("This change conflicts with another one made at the same time; please retry.")]}
        ) from None


def _delete(instance: models.Model, message: str) -> None:
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError, IntegrityError):
        raise ActionRefused(message, code="in_use") from None


def _check_fields(given: Iterable[str], allowed: tuple[str, ...], function: str) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"{function}() got unexpected fields: {sorted(unknown)}")


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


def _locked(model: type[models.Model], instance: models.Model | None):
    """Re-read ``instance`` under a row lock, so a check on it holds until the transaction ends."""
    if instance is None:
        return None
    return model.objects.select_for_update().get(pk=instance.pk)


def _update(instance: models.Model, fields: dict, allowed, service: str, *, clean=None) -> models.Model:
    """Set ``fields`` on ``instance`` re-read under a row lock, validate (``clean``, default ``_clean``), save."""
    _check_fields(fields, allowed, service)
    instance = _locked(type(instance), instance)
    for field, value in fields.items():
        setattr(instance, field, value)
    (clean or _clean)(instance)
    _save(instance)
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
    resident_deputies: Iterable[Deputy] = (),
) -> Station:
    """Add a station to the tree: a hub has no parent, an area station sits under a hub, a point under an area.

    The parent row is locked so that its kind cannot change while the new station is placed under it.
    """
    if kind not in StationKind.values:
        raise ValidationError({"kind": _("Unknown station kind.")})
    parent = _locked(Station, parent)
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
    _clean(station)
    _save(station)
    station.resident_deputies.set(resident_deputies)
    return station


@transaction.atomic
def station_update(*, station: Station, resident_deputies: Iterable[Deputy] | None = None, **fields) -> Station:
    """Change a station; moving it or changing its kind keeps the tree valid for it and its children.

    ``resident_deputies`` replaces the current set when given.
    """
    _check_fields(fields, STATION_FIELDS, "station_update")
    station = _locked(Station, station)
    kind = fields.get("kind", station.kind)
    if kind not in StationKind.values:
        raise ValidationError({"kind": _("Unknown station kind.")})
    parent = _locked(Station, fields["parent"]) if "parent" in fields else station.parent
    _check_tree(station=station, kind=kind, parent=parent)
    for field, value in fields.items():
        setattr(station, field, parent if field == "parent" else value)
    _clean(station)
    _save(station)
    if resident_deputies is not None:
        station.resident_deputies.set(resident_deputies)
    return station


@transaction.atomic
def station_delete(*, station: Station) -> None:
    """Delete a station entered by mistake; one that anything still hangs on is refused (deactivate it instead)."""
    station = _locked(Station, station)
    if station.children.exists():
        raise ActionRefused(_("Other stations sit under this station; move or delete them first."), code="in_use")
    if station.communities.exists():
        raise ActionRefused(_("Communities are attached to this station; move them first."), code="in_use")
    if station.staff.exists():
        raise ActionRefused(
            _("Staff accounts are attached to this station; give them another station first."), code="in_use"
        )
    _delete(station, _("Other records still refer to this station; deactivate it instead."))


# --- communities, grid centres and grids ----------------------------------------------------------------------


@transaction.atomic
def community_create(*, name: str, station: Station) -> Community:
    """Record a community (社区) and the station that serves it."""
    community = Community(name=name, station=station)
    _clean(community)
    _save(community)
    return community


@transaction.atomic
def community_update(*, community: Community, **fields) -> Community:
    """Rename a community or hand it to another station (its grid centres and grids move with it)."""
    return _update(community, fields, COMMUNITY_FIELDS, "community_update")


@transaction.atomic
def grid_centre_create(*, name: str, community: Community) -> GridCentre:
    """Record a grid centre inside a community."""
    centre = GridCentre(name=name, community=community)
    _clean(centre)
    _save(centre)
    return centre


@transaction.atomic
def grid_centre_update(*, centre: GridCentre, **fields) -> GridCentre:
    """Rename a grid centre or move it to another community (its grids move with it)."""
    return _update(centre, fields, GRID_CENTRE_FIELDS, "grid_centre_update")


def _clean_grid(grid: Grid) -> None:
    try:
        _clean(grid)
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
    _save(grid)
    return grid


@transaction.atomic
def grid_update(*, grid: Grid, **fields) -> Grid:
    """Change a grid's details or move it to another grid centre."""
    return _update(grid, fields, GRID_FIELDS, "grid_update", clean=_clean_grid)


@transaction.atomic
def grid_delete(*, grid: Grid) -> None:
    """Delete a grid entered by mistake; one with assignments or other records is refused."""
    grid = _locked(Grid, grid)
    if grid.assignments.exists():
        raise ActionRefused(
            _("Deputies have been assigned to this grid; its history must be kept, so it cannot be deleted."),
            code="in_use",
        )
    _delete(grid, _("Other records still refer to this grid, so it cannot be deleted."))


# --- grid assignments -----------------------------------------------------------------------------------------


def _check_assignment(assignment: GridAssignment) -> None:
    """The model's rules, checked first so that each error names the field it is about.

    Callers hold a lock on the grid row, so two assignments to one grid cannot pass these checks at once.
    """
    errors = {}
    others = GridAssignment.objects.filter(grid_id=assignment.grid_id, end_date__isnull=True)
    if assignment.pk:
        others = others.exclude(pk=assignment.pk)
    if assignment.end_date is None:
        if assignment.role == GridRole.LEADER and others.filter(role=GridRole.LEADER).exists():
            errors["role"] = _("This grid already has a grid leader.")
        if others.filter(deputy_id=assignment.deputy_id).exists():
            errors["deputy"] = _("This deputy is already assigned to this grid.")
    if assignment.start_date and assignment.end_date and assignment.end_date < assignment.start_date:
        errors["end_date"] = _("An assignment cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def grid_assignment_create(
    *,
    grid: Grid,
    deputy: Deputy,
    start_date: date,
    role: str = GridRole.MEMBER,
    mode: str = GridMode.PART_TIME,
    end_date: date | None = None,
) -> GridAssignment:
    """Assign a deputy to a grid as grid leader or member (one open leader per grid, one open assignment each)."""
    grid = _locked(Grid, grid)
    if not deputy.is_active:
        raise ValidationError({"deputy": _("This deputy is not active and cannot be assigned to a grid.")})
    assignment = GridAssignment(
        grid=grid, deputy=deputy, role=role, mode=mode, start_date=start_date, end_date=end_date
    )
    _check_assignment(assignment)
    _clean(assignment)
    _save(assignment)
    return assignment


@transaction.atomic
def grid_assignment_update(*, assignment: GridAssignment, **fields) -> GridAssignment:
    """Change an assignment's role, mode or dates; setting ``end_date`` closes it.

    The grid and the deputy cannot change: end the assignment and create another.
    """
    _check_fields(fields, ASSIGNMENT_FIELDS, "grid_assignment_update")
    Grid.objects.select_for_update().get(pk=assignment.grid_id)
    assignment = _locked(GridAssignment, assignment)
    for field, value in fields.items():
        setattr(assignment, field, value)
    _check_assignment(assignment)
    _clean(assignment)
    _save(assignment)
    return assignment


@transaction.atomic
def grid_assignment_delete(*, assignment: GridAssignment) -> None:
    """Delete an assignment entered by mistake (to end a real one, set its end date)."""
    Grid.objects.select_for_update().get(pk=assignment.grid_id)
    assignment = _locked(GridAssignment, assignment)
    _delete(assignment, _("Other records (grid duties …) refer to this assignment; end it instead of deleting it."))
