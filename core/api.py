"""Shared API plumbing: one exception handler so every refusal has the same shape."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ActionRefused, PermissionRefused


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
