"""How services write a row: validate it, save it in a savepoint, delete it, re-read it under a lock.

Every service in the product writes through these, so that bad input and lost races
become ``ValidationError`` (field → messages, model-wide ones under ``non_field_errors``,
the API's key) or ``ActionRefused``, and never a half-written record or a 500.
"""

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from core.errors import ActionRefused


def _non_field(errors: dict) -> dict:
    if NON_FIELD_ERRORS in errors:
        errors.setdefault("non_field_errors", []).extend(errors.pop(NON_FIELD_ERRORS))
    return errors


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


def save_instance(instance: models.Model) -> None:
    """Save in a savepoint; a constraint broken by a concurrent write becomes a validation error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(
            {"non_field_errors": [_("This change conflicts with another one made at the same time; please retry.")]}
        ) from None


def delete_instance(instance: models.Model, message: str) -> None:
    """Delete in a savepoint; rows that still refer to it make it an ``ActionRefused`` with ``message``."""
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError, IntegrityError):
        raise ActionRefused(message, code="in_use") from None


def check_allowed_fields(given: Iterable[str], allowed: tuple[str, ...], function: str) -> None:
    """A programming error, not bad input: a caller passed a field the service does not change."""
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"{function}() got unexpected fields: {sorted(unknown)}")


def locked(model: type[models.Model], instance: models.Model | None):
    """Re-read ``instance`` under a row lock, so a check on it holds until the transaction ends."""
    if instance is None:
        return None
    return model.objects.select_for_update().get(pk=instance.pk)
