import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter, StrictFilterSet
from deputies.models import Deputy, DeputyKind, Level
from organisation.models import subtree_q

# Lookups from a deputy to a station through their open grid assignments. The liaison app
# sits above this one, so its models are reached through relations, never imported.
_GRID_STATION = "grid_assignments__grid__centre__community__station__"


class DeputyFilter(StrictFilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, method="filter_level", label=_("Holds a term at level"))
    kind = django_filters.ChoiceFilter(choices=DeputyKind.choices)
    group = django_filters.NumberFilter(field_name="groups", label=_("Member of deputy group"))
    station = django_filters.NumberFilter(
        method="filter_station", label=_("Resident at, or assigned to a grid of, this station or one below it")
    )
    grid = django_filters.NumberFilter(method="filter_grid", label=_("Currently assigned to grid"))
    active = StrictBooleanFilter(field_name="is_active")
    q = django_filters.CharFilter(method="filter_q", label=_("Name contains"))

    class Meta:
        model = Deputy
        fields = ["level", "kind", "group", "station", "grid", "active", "q"]

    # Multi-valued joins go through an id subquery so that a deputy is listed once.
    def _within(self, queryset, condition: Q):
        return queryset.filter(id__in=Deputy.objects.filter(condition).values("id"))

    def filter_level(self, queryset, name, value):
        return self._within(queryset, Q(terms__level=value))

    def filter_station(self, queryset, name, value):
        return self._within(
            queryset,
            subtree_q(value, "resident_stations__")
            | (subtree_q(value, _GRID_STATION) & Q(grid_assignments__end_date__isnull=True)),
        )

    def filter_grid(self, queryset, name, value):
        return self._within(queryset, Q(grid_assignments__grid=value, grid_assignments__end_date__isnull=True))

    def filter_q(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip())
