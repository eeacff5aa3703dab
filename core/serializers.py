"""The base of every API serializer: input fields it does not know are refused, never dropped.

DRF ignores a body field that the serializer does not declare, so ``{"assigned_on": ...}`` or a
misspelt ``"titel"`` used to be accepted and silently discarded. ``StrictSerializer`` and
``StrictModelSerializer`` (every serializer in the project derives from one of them) answer 400
with ``{"detail": ..., "code": "unknown_field", "fields": [...]}`` instead, for nested serializers too. A read-only
field sent back is refused the same way: it would be discarded. Query-parameter serializers
(``StrictQuerySerializer``) refuse unknown parameters with ``unknown_parameter`` and accept
DRF's ``format``.
"""

import functools
import inspect
import re
from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers

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


_DISPLAY = re.compile(r"^get_(\w+)_display$")


def _plain_getter(field, model):
    """A getter for ``field`` on instances of ``model`` that does what DRF's ``Field.get_attribute`` does for a
    plain dotted source, without its per-call introspection; ``None`` where the field needs DRF's own path."""
    attrs = field.source_attrs
    if type(field).get_attribute is not drf_fields.Field.get_attribute or not attrs:
        return None
    display = _DISPLAY.match(attrs[-1]) if len(attrs) == 1 else None
    if display:
        try:
            model_field = model._meta.get_field(display.group(1))
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None and model_field.choices:
            # ``get_FOO_display`` with the labels translated once per list instead of once per row.
            labels = {value: force_str(label) for value, label in model_field.flatchoices}
            name = model_field.attname

            def get_label(obj):
                value = getattr(obj, name)
                return force_str(labels.get(value, value), strings_only=True)

            return get_label

    def get_value(obj):
        for attr in attrs:
            try:
                obj = getattr(obj, attr)
            except ObjectDoesNotExist:
                return None
            if inspect.ismethod(obj) or inspect.isfunction(obj) or isinstance(obj, functools.partial):
                obj = obj()
        return obj

    return get_value


def _pk_getter(field, model):
    """The raw ``…_id`` column for a ``PrimaryKeyRelatedField`` on a model's own foreign key, else ``None``."""
    plain = type(field) is relations.PrimaryKeyRelatedField and field.pk_field is None
    if not plain or len(field.source_attrs) != 1:
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    if not (model_field.is_relation and model_field.many_to_one and model_field.target_field.primary_key):
        return None
    name = model_field.attname
    return lambda obj: getattr(obj, name)


class CompiledListSerializer(serializers.ListSerializer):
    """``many=True`` output with the child's fields compiled once per list, not looked up again per row.

    The rows are the ones ``ListSerializer`` gives (a test compares both on every list endpoint): each
    readable field becomes a plain getter (a dotted source, a foreign key's id, a choice label from a
    table translated once, a ``SerializerMethodField``'s bound method) followed by the field's own
    ``to_representation``. Anything else (a custom ``get_attribute``, a ``*`` source, a missing
    attribute, a serializer that overrides ``to_representation``, rows that are not model instances)
    takes DRF's path unchanged. On a 50-row list page DRF's per-row introspection was most of the time.
    """

    def to_representation(self, data):
        iterable = data.all() if isinstance(data, models.manager.BaseManager) else data
        child = self.child
        if type(child).to_representation is not serializers.Serializer.to_representation:
            return super().to_representation(iterable)
        model = plan = None
        rows = []
        for item in iterable:
            if not isinstance(item, models.Model) or (model is not None and type(item) is not model):
                rows.append(child.to_representation(item))
                continue
            if plan is None:
                model = type(item)
                plan = self._plan(child, model)
            row = {}
            for name, field, getter, convert in plan:
                if getter is not None:
                    try:
                        value = getter(item)
                    except (AttributeError, KeyError):
                        pass  # DRF's path below gives the field's default, null or omission
                    else:
                        row[name] = value if value is None or convert is None else convert(value)
                        continue
                # DRF's own reading of the field (``Serializer.to_representation``'s loop body).
                try:
                    attribute = field.get_attribute(item)
                except drf_fields.SkipField:
                    continue
                check = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
                row[name] = None if check is None else field.to_representation(attribute)
            rows.append(row)
        return rows

    def _plan(self, child, model):
        """``(name, field, getter or None, conversion or None)`` for each readable field, in order.

        Kept on the list serializer for its model: a nested list (a visit's deputies) is the same
        serializer for every row of the outer list, so its plan is made once.
        """
        cached = getattr(self, "_compiled", None)
        if cached is not None and cached[0] is model:
            return cached[1]
        plan = []
        for field in child._readable_fields:
            if isinstance(field, serializers.SerializerMethodField):
                plan.append((field.field_name, field, getattr(child, field.method_name), None))
            elif (pk := _pk_getter(field, model)) is not None:
                plan.append((field.field_name, field, pk, None))
            else:
                plan.append((field.field_name, field, _plain_getter(field, model), field.to_representation))
        self._compiled = (model, plan)
        return plan


class CompiledListMixin:
    @classmethod
    def many_init(cls, *args, **kwargs):
        """Lists read through ``CompiledListSerializer`` unless the serializer names its own list class."""
        serializer = super().many_init(*args, **kwargs)
        if type(serializer) is serializers.ListSerializer:
            serializer.__class__ = CompiledListSerializer
        return serializer


class StrictSerializer(CompiledListMixin, RejectUnknownFieldsMixin, serializers.Serializer):
    pass


class StrictModelSerializer(CompiledListMixin, RejectUnknownFieldsMixin, serializers.ModelSerializer):
    pass


class StrictQuerySerializer(StrictSerializer):
    """Reads ``request.query_params``; a parameter it does not declare is a 400 (``unknown_parameter``)."""

    unknown_message = _("Unknown parameters: %(names)s.")
    unknown_code = "unknown_parameter"
    ignored_input_fields = frozenset({"format"})
