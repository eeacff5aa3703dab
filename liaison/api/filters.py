import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter, StrictFilterSet
from duties.models import GridAssignment, GridRole
from organisation.models import Community, Grid, GridCentre, Station, StationKind, subtree_q


def _subtree(prefix: str, station_id: int) -> Q:
    """Rows whose station (reached by ``prefix``) is ``station_id`` or sits below it in the tree."""
    return subtree_q(station_id, f"{prefix}__")


class StationFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=StationKind.choices)
    parent = django_filters.NumberFilter(field_name="parent")
    active = StrictBooleanFilter(field_name="is_active")
    q = django_filters.CharFilter(method="filter_q", label=_("Name or address contains"))

    class Meta:
        model = Station
        fields = ["kind", "parent", "active", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))


class CommunityFilter(StrictFilterSet):
    station = django_filters.NumberFilter(field_name="station")

    class Meta:
        model = Community
        fields = ["station"]


class GridCentreFilter(StrictFilterSet):
    community = django_filters.NumberFilter(field_name="community")
    station = django_filters.NumberFilter(method="filter_station", label=_("In this station or one below it"))

    class Meta:
        model = GridCentre
        fields = ["community", "station"]

    def filter_station(self, queryset, name, value):
        return queryset.filter(_subtree("community__station", value))


class GridFilter(StrictFilterSet):
    centre = django_filters.NumberFilter(field_name="centre")
    community = django_filters.NumberFilter(field_name="centre__community")
    station = django_filters.NumberFilter(method="filter_station", label=_("In this station or one below it"))
    q = django_filters.CharFilter(method="filter_q", label=_("Name or code contains"))

    class Meta:
        model = Grid
        fields = ["centre", "community", "station", "q"]

    def filter_station(self, queryset, name, value):
        return queryset.filter(_subtree("centre__community__station", value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class GridAssignmentFilter(StrictFilterSet):
    grid = django_filters.NumberFilter(field_name="grid")
    deputy = django_filters.NumberFilter(field_name="deputy")
    role = django_filters.ChoiceFilter(choices=GridRole.choices)
    open = StrictBooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("Current (not ended)"))

    class Meta:
        model = GridAssignment
        fields = ["grid", "deputy", "role", "open"]
