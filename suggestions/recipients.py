"""Who is concerned with suggestions: the accounts behind the office, the handling units and the deputies.

The reminder rules (``suggestions.reminders``) and the lifecycle notices (``suggestions.notices``)
both find people here, so that "the lead unit's officers" or "the office" mean the same everywhere:
active accounts only, unit officers by their unit, deputies by the account linked to their record.
Every function is one query whatever the number of people, and returns user ids.
"""

from django.contrib.auth import get_user_model

from core.roles import Role
from notifications.reminders import users_by_deputy, users_by_unit, users_with_role
from suggestions.models import CoSignStatus


def office_users() -> list[int]:
    """The suggestion office (办公室): it reviews, assigns and decides on requests."""
    return users_with_role(Role.OFFICE)


def unit_officers(unit_ids) -> dict[int, list[int]]:
    """The officers of each of these units: {unit id: [user id, …]}."""
    return users_by_unit(unit_ids)


def officers_of(*unit_ids) -> list[int]:
    """The officers of these units, in one list (ids of units that are None are ignored)."""
    by_unit = unit_officers({unit_id for unit_id in unit_ids if unit_id is not None})
    return [user_id for unit_id in by_unit for user_id in by_unit[unit_id]]


def deputy_accounts(deputy_ids) -> dict[int, int]:
    """The account of each of these deputies that has one: {deputy id: user id}."""
    return users_by_deputy(deputy_ids)


def accounts_of(*deputy_ids) -> list[int]:
    """The accounts of these deputies, in one list (deputies without an account are skipped)."""
    return list(deputy_accounts({deputy_id for deputy_id in deputy_ids if deputy_id is not None}).values())


def cosigner_accounts(suggestion, statuses=(CoSignStatus.CONFIRMED,)) -> list[int]:
    """The accounts of the deputies invited to co-sign ``suggestion`` whose answer is one of ``statuses``."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            deputy__cosignatures__suggestion=suggestion,
            deputy__cosignatures__status__in=list(statuses),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def assigned_officers(suggestion) -> list[int]:
    """The officers of every unit (lead and co-units) currently assigned ``suggestion``."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            role=Role.UNIT_OFFICER,
            unit__assignments__suggestion=suggestion,
            unit__assignments__active=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
