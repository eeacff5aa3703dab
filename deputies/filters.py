"""Filters of the deputies: the list page's (``DeputyFilter``) and the API's (``DeputyApiFilter``)."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter, StrictFilterSet
from deputies.models import Deputy, DeputyGroup, DeputyKind, Level, Term
from organisation.models import subtree_q


def current_term_q(year: int | None = None, prefix: str = "") -> Q:
    """Terms running in ``year`` (this year by default): started, and not ended before it."""
    year = year or timezone.localdate().year
    return Q(**{f"{prefix}start_year__lte": year}) & (
        Q(**{f"{prefix}end_year__isnull": True}) | Q(**{f"{prefix}end_year__gte": year})
    )


class DeputyFilter(StrictFilterSet):
    """Filters for the deputy list.

    ``stations`` is the queryset of stations the user may filter by; without it the
    station filter is left out.
    """

    q = django_filters.CharFilter(
        label=_("Name or work unit"), method="filter_q", widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DeputyKind.choices, empty_label=_("All kinds"))
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, method="filter_level", empty_label=_("All levels")
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Deputy group"),
        queryset=DeputyGroup.objects.order_by("name"),
        method="filter_group",
        empty_label=_("All groups"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("Station"), queryset=None, method="filter_station", empty_label=_("All stations")
    )

    class Meta:
        model = Deputy
        fields = ["q", "kind", "level", "group", "station"]

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stations is None:
            del self.filters["station"]
        else:
            # Tree order without knowing station kinds: the hub (no parent), areas (no grandparent), points.
            self.filters["station"].queryset = stations.order_by(
                F("parent__parent_id").asc(nulls_first=True), F("parent_id").asc(nulls_first=True), "name"
            )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(occupation__icontains=value))

    def filter_level(self, queryset, name, value):
        """Deputies holding a current term at this level (one person may hold several)."""
        return queryset.filter(id__in=Term.objects.filter(current_term_q(), level=value).values("deputy_id"))

    def filter_group(self, queryset, name, value):
        return queryset.filter(id__in=value.members.values("id"))

    def filter_station(self, queryset, name, value):
        """Deputies resident at the station or below it, or holding a grid there now."""
        scope = subtree_q(value.pk, "resident_stations__") | (
            Q(grid_assignments__end_date__isnull=True)
            & subtree_q(value.pk, "grid_assignments__grid__centre__community__station__")
        )
        return queryset.filter(id__in=Deputy.objects.filter(scope).values("id"))


# Lookups from a deputy to a station through their open grid assignments (the duties app sits above
# this one, so its models are reached through relations, never imported).
_GRID_STATION = "grid_assignments__grid__centre__community__station__"


class DeputyApiFilter(StrictFilterSet):
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
