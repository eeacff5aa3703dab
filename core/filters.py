"""The base of every query filter (API lists and pages): numbers are bounded, unknown parameters refused.

``StrictFilterSet`` is what every ``FilterSet`` in the project derives from, and ``StrictFilterBackend``
(the API's default filter backend) builds the ``filterset_fields`` filtersets on it too. On top of
django-filter it

- reads every number filter as a whole number within the 64-bit range of the database's integer
  columns, and a year (``year`` filters, ``__year`` lookups) within ``YEAR_MIN``–``YEAR_MAX``; a value
  outside is a form error (API: 400), never an overflow in the database driver or in ``datetime``;
- checks the id sent to a model-choice filter the same way before looking it up.

``StrictFilterBackend`` also answers 400 (``unknown_parameter``) to a query parameter that is neither a
filter of the view nor a pagination, ordering, search or format parameter, so a misspelt filter
(``?stattion=3``) is not silently the unfiltered list.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from core.serializers import StrictQuerySerializer, unknown_input_error

# PostgreSQL bigint (and SQLite's integer); ids and counts never leave it.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
# Years a filter may ask for: plausible for this application, and far inside what ``datetime`` accepts
# once local time is converted to UTC.
YEAR_MIN, YEAR_MAX = 1900, 2100

# Query parameters any API list understands besides its filters.
COMMON_QUERY_PARAMETERS = frozenset({"format"})


def _is_year(filter_) -> bool:
    name = filter_.field_name or ""
    return filter_.lookup_expr == "year" or name == "year" or name.endswith("__year")


class _BoundedIdMixin:
    """A model-choice field that refuses an id outside the integer range before querying."""

    def _check_id(self, value):
        if isinstance(value, str | int) and not isinstance(value, bool) and value not in self.empty_values:
            try:
                number = int(str(value).strip())
            except ValueError:
                number = None
            if number is None or not INT_MIN <= number <= INT_MAX:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def to_python(self, value):
        self._check_id(value)
        return super().to_python(value)


class _BoundedIdsMixin(_BoundedIdMixin):
    def _check_values(self, value):
        for item in value or ():
            try:
                self._check_id(item)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                ) from None
        return super()._check_values(value)


_bounded_classes: dict[type, type] = {}


def _bounded(field_class: type, mixin: type) -> type:
    if field_class not in _bounded_classes:
        _bounded_classes[field_class] = type(f"Bounded{field_class.__name__}", (mixin, field_class), {})
    return _bounded_classes[field_class]


def bound_filter(filter_) -> None:
    """Give ``filter_`` the bounds above (in place, before its form field is built)."""
    if isinstance(filter_, django_filters.NumberFilter) and issubclass(filter_.field_class, forms.DecimalField):
        filter_.field_class = forms.IntegerField
        low, high = (YEAR_MIN, YEAR_MAX) if _is_year(filter_) else (INT_MIN, INT_MAX)
        filter_.extra.setdefault("min_value", low)
        filter_.extra.setdefault("max_value", high)
    elif isinstance(filter_, django_filters.ModelMultipleChoiceFilter):
        filter_.field_class = _bounded(filter_.field_class, _BoundedIdsMixin)
    elif isinstance(filter_, django_filters.ModelChoiceFilter):
        filter_.field_class = _bounded(filter_.field_class, _BoundedIdMixin)


class StrictFilterSet(django_filters.FilterSet):
    """The project's FilterSet: every number and id filter bounded (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            bound_filter(filter_)


def known_query_parameters(request, view, filterset=None) -> set[str]:
    """The query parameters ``view`` understands: its filters, pagination, ordering, search and format."""
    known = set(COMMON_QUERY_PARAMETERS)
    if filterset is not None:
        known |= {filterset.form.add_prefix(name) for name in filterset.filters}
    paginator = getattr(view, "paginator", None)
    for attribute in (
        "page_query_param",
        "page_size_query_param",
        "limit_query_param",
        "offset_query_param",
        "cursor_query_param",
    ):
        name = getattr(paginator, attribute, None)
        if name:
            known.add(name)
    for backend in getattr(view, "filter_backends", ()):
        for attribute in ("ordering_param", "search_param"):
            name = getattr(backend, attribute, None)
            if name:
                known.add(name)
    return known


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend on ``StrictFilterSet``, refusing query parameters the view does not know."""

    filterset_base = StrictFilterSet

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        unknown = set(request.query_params) - known_query_parameters(request, view, filterset)
        if unknown:
            raise unknown_input_error(unknown, code="unknown_parameter", message=StrictQuerySerializer.unknown_message)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            from django_filters import utils

            raise utils.translate_validation(filterset.errors)
        return filterset.qs


class _StrictBooleanField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that answers 400 to a value other than true/false/1/0 instead of ignoring it."""

    field_class = _StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)
