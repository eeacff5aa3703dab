"""Shared API plumbing: one exception handler so every refusal has the same shape."""

import base64
import binascii
import datetime
import json

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ActionRefused, PermissionRefused
from core.filters import INT_MAX, INT_MIN
from core.pagination import page_rows


def exception_handler(exc, context):
    """Map service errors to HTTP: refused transition → 409, forbidden action → 403.

    Django ``ValidationError`` raised by model validation inside a service becomes a
    400 with the same field → messages shape as serializer errors.
    """
    if isinstance(exc, ActionRefused):
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PermissionRefused):
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (50 by default, at most 200)."""

    page_size_query_param = "page_size"
    max_page_size = 200


class KeysetPagination(BasePagination):
    """Cursor pagination on an indexed order: ``?cursor=`` (opaque, from ``next``/``previous``) and ``?page_size=``.

    The view's queryset is ordered by ``ordering`` (every key in the same direction, the last one unique,
    e.g. ``("-received_on", "-id")``, an index on those columns). A page is the rows after (or before) the
    keys of the previous page's last (first) row, read in index order under ``LIMIT page_size + 1``: the
    thousandth page costs what the first does. There is no total count and no page number; the answer is
    ``{"next": url|null, "previous": url|null, "results": […]}``. A cursor that cannot be read is a 400
    (``invalid_cursor``).
    """

    ordering: tuple[str, ...] = ()
    cursor_query_param = "cursor"
    cursor_query_description = "The page's position, from the `next` or `previous` link of the page before."
    page_size_query_param = "page_size"
    page_size = api_settings.PAGE_SIZE or 50
    max_page_size = 200
    invalid_cursor_message = _("This page link is not valid (any longer); start again from the first page.")

    def __init__(self, ordering: tuple[str, ...] | None = None):
        if ordering is not None:
            self.ordering = tuple(ordering)

    # --- keys ---------------------------------------------------------------------------------------

    def _fields(self, model):
        return [model._meta.get_field(name.lstrip("-")) for name in self.ordering]

    def _descending(self) -> bool:
        return self.ordering[0].startswith("-")

    def _keys_of(self, row) -> list:
        values = []
        for name in self.ordering:
            value = getattr(row, name.lstrip("-"))
            values.append(value.isoformat() if hasattr(value, "isoformat") else value)
        return values

    def _encode(self, keys: list, reverse: bool) -> str:
        payload = json.dumps({"k": keys, "r": reverse}, separators=(",", ":"))
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def _decode(self, raw: str, model) -> tuple[list, bool]:
        try:
            payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode())
            keys, reverse = payload["k"], payload["r"]
            fields = self._fields(model)
            if not isinstance(keys, list) or len(keys) != len(fields) or not isinstance(reverse, bool):
                raise ValueError
            values = []
            for field, key in zip(fields, keys, strict=True):
                if not isinstance(key, str | int) or isinstance(key, bool):
                    raise ValueError
                value = field.to_python(key)
                if value is None:
                    raise ValueError
                if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
                    raise ValueError
                if isinstance(value, datetime.datetime) and timezone.is_naive(value):
                    raise ValueError
                values.append(value)
            return values, reverse
        except (ValueError, TypeError, KeyError, UnicodeDecodeError, binascii.Error, DjangoValidationError):
            raise ValidationError(
                {"detail": str(self.invalid_cursor_message), "code": "invalid_cursor", "fields": ["cursor"]},
                code="invalid_cursor",
            ) from None

    def _after(self, keys: list, forward: bool) -> Q:
        """Rows strictly after ``keys`` in the walking direction, index-friendly: the first key bounds the
        index range (``received_on <= d``), the rest only tell apart the rows of equal first keys."""
        names = [name.lstrip("-") for name in self.ordering]
        newer = self._descending() != forward  # walking towards larger keys
        strict, loose = ("gt", "gte") if newer else ("lt", "lte")
        tail = Q(**{f"{names[-1]}__{strict}": keys[-1]})
        for name, key in zip(reversed(names[:-1]), reversed(keys[:-1]), strict=True):
            tail = Q(**{f"{name}__{strict}": key}) | (Q(**{name: key}) & tail)
        if len(names) == 1:
            return tail
        return Q(**{f"{names[0]}__{loose}": keys[0]}) & tail

    # --- DRF hooks ----------------------------------------------------------------------------------

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            try:
                size = int(raw)
            except ValueError:
                size = 0
            if size > 0:
                return min(size, self.max_page_size)
        return self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        if not self.ordering:
            raise ImproperlyConfigured(f"{type(self).__name__} needs an ordering.")
        self.request = request
        self.base_url = request.build_absolute_uri()
        size = self.get_page_size(request)
        raw = request.query_params.get(self.cursor_query_param)
        self.has_cursor = bool(raw)
        keys, reverse = self._decode(raw, queryset.model) if raw else (None, False)
        order = list(self.ordering)
        if reverse:
            order = [name[1:] if name.startswith("-") else f"-{name}" for name in order]
        queryset = queryset.order_by(*order)
        if keys is not None:
            queryset = queryset.filter(self._after(keys, forward=not reverse))
        rows = page_rows(queryset, 0, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        if reverse:
            rows.reverse()
            self.has_next, self.has_previous = keys is not None, more
        else:
            self.has_next, self.has_previous = more, keys is not None
        self.page = rows
        return rows

    def _link(self, row, reverse: bool) -> str:
        return replace_query_param(self.base_url, self.cursor_query_param, self._encode(self._keys_of(row), reverse))

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        if not self.page:  # walked back past the first row: the first page
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.page[-1], reverse=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.page[0], reverse=True)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri", "example": "https://…/?cursor=eyJrIjpb…"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_query_description,
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page ({self.page_size} by default, at most {self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]


def keyset_pagination(*ordering: str) -> type[KeysetPagination]:
    """A ``pagination_class`` walking ``ordering`` (the view's queryset order and an index's columns)."""
    return type("KeysetPagination", (KeysetPagination,), {"ordering": tuple(ordering)})
