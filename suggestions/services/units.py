"""The handling units the office assigns suggestions to."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import PermissionRefused
from core.roles import Role
from organisation.models import HandlingUnit, UnitKind


def _require_unit_manager(actor) -> None:
    if not actor.has_role(Role.OFFICE, Role.ADMIN):
        raise PermissionRefused(_("Only the suggestion office and administrators manage handling units."))


@transaction.atomic
def unit_create(
    *,
    actor,
    name: str,
    kind: str = UnitKind.DEPARTMENT,
    contact_person="",
    phone="",
    address="",
    is_active: bool = True,
) -> HandlingUnit:
    _require_unit_manager(actor)
    unit = HandlingUnit(
        name=(name or "").strip(),
        kind=kind,
        contact_person=contact_person,
        phone=phone,
        address=address,
        is_active=is_active,
    )
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, actor, unit: HandlingUnit, **fields) -> HandlingUnit:
    _require_unit_manager(actor)
    unit = HandlingUnit.objects.select_for_update().get(pk=unit.pk)
    allowed = {"name", "kind", "contact_person", "phone", "address", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(unit, name, value.strip() if isinstance(value, str) else value)
    unit.full_clean()
    unit.save()
    return unit
