"""Filters of the station tree (stations, communities, grid centres, grids) for the pages and the API."""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter, StrictFilterSet
from organisation.models import Community, Grid, GridCentre, Station, StationKind, subtree_q


def tree_order():
    """Sort key putting the hub first, then area stations, then community points (not alphabetical)."""
    ranks = [When(kind=kind, then=Value(rank)) for rank, kind in enumerate(StationKind.values)]
    return Case(*ranks, default=Value(len(ranks)), output_field=IntegerField())


class PageStationFilter(StrictFilterSet):
    """The station list page. ``stations`` is the queryset of stations the user may see (the choices of "within")."""

    q = django_filters.CharFilter(
        label=_("Name or address"), method="filter_q", widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=StationKind.choices, empty_label=_("All kinds"))
    within = django_filters.ModelChoiceFilter(
        label=_("Within station"), queryset=None, method="filter_within", empty_label=_("All stations")
    )

    class Meta:
        model = Station
        fields = ["q", "kind", "within"]

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        # Only stations that have stations below them are worth offering.
        self.filters["within"].queryset = stations.exclude(kind=StationKind.POINT).order_by(tree_order(), "name")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))

    def filter_within(self, queryset, name, value):
        """The station itself and everything below it in the 1+4+N tree."""
        return queryset.within(value)


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
