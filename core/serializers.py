"""The base of every API serializer: input fields it does not know are refused, never dropped.

DRF ignores a body field that the serializer does not declare, so ``{"assigned_on": ...}`` or a
misspelt ``"titel"`` used to be accepted and silently discarded. ``StrictSerializer`` and
``StrictModelSerializer`` (every serializer in the project derives from one of them) answer 400
with ``{"detail": ..., "code": "unknown_field", "fields": [...]}`` instead, for nested serializers too. A read-only
field sent back is refused the same way: it would be discarded. Query-parameter serializers
(``StrictQuerySerializer``) refuse unknown parameters with ``unknown_parameter`` and accept
DRF's ``format``.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Sent by HTML forms (the browsable API) with every POST; never data.
IGNORED_INPUT_FIELDS = frozenset({"csrfmiddlewaretoken"})


def unknown_input_error(names, *, code: str, message) -> serializers.ValidationError:
    """``{"detail": "...", "code": code, "fields": [names]}``: the refusal of input nobody asked for."""
    names = sorted(names)
    return serializers.ValidationError(
        {"detail": str(message) % {"names": "、".join(names)}, "code": code, "fields": names}, code=code
    )


class RejectUnknownFieldsMixin:
    unknown_message = _("Unknown fields: %(names)s.")
    unknown_code = "unknown_field"
    ignored_input_fields = IGNORED_INPUT_FIELDS

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = set(data) - writable - self.ignored_input_fields
            if unknown:
                raise unknown_input_error(unknown, code=self.unknown_code, message=self.unknown_message)
        return super().to_internal_value(data)


class StrictSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    pass


class StrictModelSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    pass


class StrictQuerySerializer(StrictSerializer):
    """Reads ``request.query_params``; a parameter it does not declare is a 400 (``unknown_parameter``)."""

    unknown_message = _("Unknown parameters: %(names)s.")
    unknown_code = "unknown_parameter"
    ignored_input_fields = frozenset({"format"})
