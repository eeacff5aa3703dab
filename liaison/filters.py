"""Filters of the station list page."""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from core.filters import StrictFilterSet
from organisation.models import Station, StationKind


def tree_order():
    """Sort key putting the hub first, then area stations, then community points (not alphabetical)."""
    ranks = [When(kind=kind, then=Value(rank)) for rank, kind in enumerate(StationKind.values)]
    return Case(*ranks, default=Value(len(ranks)), output_field=IntegerField())


class StationFilter(StrictFilterSet):
    """``stations`` is the queryset of stations the user may see (the choices of "within")."""

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
