import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.filters import StrictFilterSet


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


class UserFilter(StrictFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = StrictBooleanFilter()
    q = django_filters.CharFilter(method="filter_q", label=_("Username or name contains"))

    class Meta:
        model = User
        fields = ["role", "is_active"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value) | Q(first_name__icontains=value) | Q(last_name__icontains=value)
        )
