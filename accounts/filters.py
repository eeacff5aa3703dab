import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.filters import StrictBooleanFilter, StrictFilterSet
from core.roles import Role


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
