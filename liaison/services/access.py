"""Who may change what at the station's front desk.

Reading is scoped by the selectors; these checks decide the actions. Each one may run
a query (noted below), so callers in loops should prefer the selectors.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scoping import staff_station_q
from core.errors import PermissionRefused
from liaison.models import Grid, Station
from liaison.selectors import station_subtree_q

# Roles that run a station's front desk for the whole jurisdiction.
DESK_EVERYWHERE = (Role.OFFICE, Role.ADMIN)


def station_subtree_ids(station: Station) -> set[int]:
    """The station and every station below it (two levels at most). One query."""
    return {station.id, *Station.objects.filter(station_subtree_q(station.id, prefix="")).values_list("id", flat=True)}


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


def clean_instance(instance: models.Model, *, exclude=None) -> None:
    """``full_clean`` with model-wide errors under the API's ``non_field_errors`` key."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationError(_non_field(exc.message_dict)) from None


def check_fields(instance: models.Model) -> None:
    """Field-level validation (lengths, choices, formats) without queries.

    For rows written in bulk on a busy reception day: relations were looked up by the
    caller, and the database constraints stay the backstop for the rest.
    """
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    try:
        instance.clean_fields(exclude=relations)
    except ValidationError as exc:
        raise ValidationError(_non_field(exc.message_dict)) from None


def _non_field(errors: dict) -> dict:
    if NON_FIELD_ERRORS in errors:
        errors.setdefault("non_field_errors", []).extend(errors.pop(NON_FIELD_ERRORS))
    return errors


def save_instance(instance: models.Model) -> None:
    """Save in a savepoint; a constraint broken by a concurrent write becomes a validation error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(
            {"non_field_errors": [_("This change conflicts with another one made at the same time; please retry.")]}
        ) from None
