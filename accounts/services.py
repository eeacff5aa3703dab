from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User


def _check_links(*, role: str, stations, deputy, unit) -> None:
    errors = {}
    if role == Role.STATION_STAFF and not stations:
        errors["stations"] = _("Station staff must be given at least one station.")
    if role == Role.DEPUTY and deputy is None:
        errors["deputy"] = _("A deputy account must be linked to a deputy record.")
    if role == Role.UNIT_OFFICER and unit is None:
        errors["unit"] = _("A handling-unit officer must be linked to a unit.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    stations=(),
    deputy=None,
    unit=None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    """Create an account with its role and links; validates the password policy.

    Raises ``ValidationError`` (field → messages) and writes nothing on bad input.
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    _check_links(role=role, stations=stations, deputy=deputy, unit=unit)
    user = User(
        username=username,
        role=role,
        deputy=deputy if role == Role.DEPUTY else None,
        unit=unit if role == Role.UNIT_OFFICER else None,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if role == Role.STATION_STAFF:
        user.stations.set(stations)
    return user
