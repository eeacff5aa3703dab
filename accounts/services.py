from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import User
from core import clock
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role

# Marks an argument of ``user_update`` that the caller did not pass (None is a real value for links).
UNSET = object()


def _check_links(*, role: str, stations, deputy, unit, user: User | None = None) -> None:
    """Each role has exactly the links it needs: no missing link and no link meant for another role."""
    errors = {}
    if role == Role.STATION_STAFF and not stations:
        errors["stations"] = _("Station staff must be given at least one station.")
    if role != Role.STATION_STAFF and stations:
        errors["stations"] = _("Only station staff are attached to stations.")
    if role == Role.DEPUTY and deputy is None:
        errors["deputy"] = _("A deputy account must be linked to a deputy record.")
    if role != Role.DEPUTY and deputy is not None:
        errors["deputy"] = _("Only a deputy account is linked to a deputy record.")
    if role == Role.DEPUTY and deputy is not None:
        taken = User.objects.filter(deputy=deputy)
        if user is not None and user.pk:
            taken = taken.exclude(pk=user.pk)
        if taken.exists():
            errors["deputy"] = _("This deputy record already has an account.")
    if role == Role.UNIT_OFFICER and unit is None:
        errors["unit"] = _("A handling-unit officer must be linked to a unit.")
    if role != Role.UNIT_OFFICER and unit is not None:
        errors["unit"] = _("Only a handling-unit officer is linked to a unit.")
    if errors:
        raise ValidationError(errors)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


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
    _check_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if role == Role.STATION_STAFF:
        user.stations.set(stations)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    actor: User | None = None,
    password=UNSET,
    role=UNSET,
    stations=UNSET,
    deputy=UNSET,
    unit=UNSET,
    first_name=UNSET,
    last_name=UNSET,
    email=UNSET,
    phone=UNSET,
) -> User:
    """Change an account's details, role or links; arguments left out stay as they are.

    A role change drops the links the new role does not use (stations, deputy record,
    unit) and gives or takes the Django admin flags with the admin role. Links are
    checked against the resulting role whenever the role or a link changes. An
    administrator cannot take the admin role away from themselves. Raises
    ``ValidationError`` (field → messages) and writes nothing on bad input.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if role is not UNSET and role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    new_role = user.role if role is UNSET else role
    if actor is not None and actor.pk == user.pk and role is not UNSET and role != Role.ADMIN:
        if user.effective_role == Role.ADMIN:
            raise ActionRefused(_("You cannot take the administrator role away from your own account."))

    links_touched = any(value is not UNSET for value in (role, stations, deputy, unit))
    if links_touched:
        current_stations = list(user.stations.all()) if user.role == Role.STATION_STAFF else []
        new_stations = list(stations) if stations is not UNSET else current_stations
        new_deputy = deputy if deputy is not UNSET else user.deputy
        new_unit = unit if unit is not UNSET else user.unit
        # Links the caller did not pass and the new role does not use are dropped, not refused.
        if new_role != Role.STATION_STAFF and stations is UNSET:
            new_stations = []
        if new_role != Role.DEPUTY and deputy is UNSET:
            new_deputy = None
        if new_role != Role.UNIT_OFFICER and unit is UNSET:
            new_unit = None
        _check_links(role=new_role, stations=new_stations, deputy=new_deputy, unit=new_unit, user=user)
        user.deputy = new_deputy
        user.unit = new_unit
    if role is not UNSET and role != user.role:
        user.role = role
        user.is_staff = user.is_superuser = role == Role.ADMIN
    for field, value in (("first_name", first_name), ("last_name", last_name), ("email", email), ("phone", phone)):
        if value is not UNSET:
            setattr(user, field, value)
    if password is not UNSET:
        _check_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if links_touched:
        user.stations.set(new_stations)
    if password is not UNSET:
        # A new password ends the sessions of scripts that used the old one.
        Token.objects.filter(user=user).delete()
    return user


def _require_admin(actor: User | None) -> None:
    """Switching accounts on and off is for administrators; ``None`` is a trusted caller (a command, the shell)."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise PermissionRefused(_("Only administrators may switch accounts on or off."))


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None = None) -> User:
    """Switch an account off: it can no longer log in and its API token is revoked.

    The account and everything it recorded stay; an administrator cannot switch
    off their own account. Only administrators may do this (``PermissionRefused``).
    Login lockouts (django-axes) are left as they are.
    """
    _require_admin(actor)
    if actor is not None and actor.pk == user.pk:
        raise ActionRefused(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()
    return user


@transaction.atomic
def user_reactivate(*, user: User, actor: User | None = None) -> User:
    """Switch a deactivated account back on: it can log in again with its existing password.

    Only administrators may do this (``PermissionRefused``); an account that is already active is
    left as it is. The role, links and password are unchanged and no API token is issued: the
    account asks for a new one as usual.

    A login lockout is *not* lifted. django-axes locks a username from an address after repeated
    failed passwords, which may be someone else guessing (attempts made while the account was off
    count too); switching the account back on is not a decision about those attempts. The lockout
    ends by itself after the cool-off time, or an administrator lifts it explicitly (the access
    attempts in the admin site, or ``manage.py axes_reset_username``).
    """
    _require_admin(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def api_token_expires_at(token: Token):
    """When a token stops working: ``API_TOKEN_LIFETIME`` after it was issued."""
    return token.created + settings.API_TOKEN_LIFETIME


def api_token_is_expired(token: Token) -> bool:
    return clock.now() >= api_token_expires_at(token)


@transaction.atomic
def api_token_issue(*, user: User) -> Token:
    """The API token of ``user`` for scripts (one per account): the current one, or a new one
    when there is none or it has expired."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and api_token_is_expired(token):
        token.delete()
        token = None
    if token is None:
        token, _created = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def api_tokens_revoke(*, user: User, actor: User) -> int:
    """Revoke ``user``'s API token at once; the account itself or an administrator. Returns how many."""
    if actor.pk != user.pk and not actor.has_role(Role.ADMIN):
        raise PermissionRefused(_("Only the account itself or an administrator may revoke its API tokens."))
    deleted, _detail = Token.objects.filter(user=user).delete()
    return deleted
