"""Filters for reception days, visits and opinions; the API and the pages share them.

They narrow an already scoped queryset (from the selectors): a filter can never widen
what a user sees. Bad values (an unknown outcome, a malformed date) are errors, not
silently ignored.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter, StrictFilterSet
from core.roles import Role
from core.search import search_q
from liaison.models import Opinion, OpinionCategory, OpinionOutcome, OpinionSource, ReceptionDay, Visit, VisitChannel
from organisation.models import Grid, Station, subtree_q

PENDING = "pending"
OUTCOME_FILTER_CHOICES = [(PENDING, _("Waiting for triage")), *OpinionOutcome.choices]


class _PeriodMixin:
    """``date_from`` must not be after ``date_to``."""

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            data = self.form.cleaned_data
            start, end = data.get("date_from"), data.get("date_to")
            if start and end and start > end:
                self.form.add_error("date_to", _("The end of the period is before its start."))
                return False
        return valid


class ReceptionDayFilter(_PeriodMixin, StrictFilterSet):
    station = django_filters.NumberFilter(method="filter_station", label=_("In this station or one below it"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))
    cancelled = StrictBooleanFilter(field_name="is_cancelled", label=_("Cancelled"))

    class Meta:
        model = ReceptionDay
        fields = ["station", "date_from", "date_to", "cancelled"]

    def filter_station(self, queryset, name, value):
        return queryset.filter(subtree_q(value, "station__"))


class VisitFilter(_PeriodMixin, StrictFilterSet):
    station = django_filters.NumberFilter(method="filter_station", label=_("In this station or one below it"))
    grid = django_filters.NumberFilter(field_name="grid")
    channel = django_filters.ChoiceFilter(choices=VisitChannel.choices)
    deputy = django_filters.NumberFilter(field_name="deputies", distinct=True, label=_("Received by this deputy"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Visit
        fields = ["station", "grid", "channel", "deputy", "date_from", "date_to"]

    def filter_station(self, queryset, name, value):
        return queryset.filter(subtree_q(value, "station__"))


class OpinionFilter(_PeriodMixin, StrictFilterSet):
    station = django_filters.NumberFilter(method="filter_station", label=_("Station"))
    grid = django_filters.NumberFilter(field_name="grid", label=_("Grid"))
    category = django_filters.ChoiceFilter(choices=OpinionCategory.choices, label=_("Category"))
    outcome = django_filters.ChoiceFilter(choices=OUTCOME_FILTER_CHOICES, method="filter_outcome", label=_("Outcome"))
    resolved = StrictBooleanFilter(field_name="resolved_at", lookup_expr="isnull", exclude=True, label=_("Resolved"))
    source = django_filters.ChoiceFilter(choices=OpinionSource.choices, label=_("Source"))
    visit = django_filters.NumberFilter(field_name="visit", label=_("Visit"))
    date_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label=_("To"))
    q = django_filters.CharFilter(method="filter_q", label=_("Text contains"))

    class Meta:
        model = Opinion
        fields = ["station", "grid", "category", "outcome", "resolved", "source", "visit", "date_from", "date_to", "q"]

    def filter_station(self, queryset, name, value):
        return queryset.filter(subtree_q(getattr(value, "pk", value), "station__"))

    def filter_outcome(self, queryset, name, value):
        if value == PENDING:
            return queryset.filter(outcome__isnull=True)
        return queryset.filter(outcome=value)

    def filter_q(self, queryset, name, value):
        """Full-text search over the content and notes (``core.search``), or the tracking code typed whole."""
        value = value.strip()
        text = search_q(Opinion, value, using=queryset.db)
        if text is None:
            return queryset
        return queryset.filter(text | Q(tracking_code=value.upper()[:12]))


def _visible_stations(request):
    from organisation.selectors import stations_visible_to

    return stations_visible_to(request.user) if request is not None else Station.objects.none()


def _visible_grids(request):
    from organisation.selectors import grids_visible_to

    return grids_visible_to(request.user).order_by("code") if request is not None else Grid.objects.none()


class BoundedPlacesMixin:
    """A page filter whose station and grid selects offer a bounded number of places (``bound_place_options``)."""

    @property
    def form(self):
        form = super().form
        if not getattr(self, "_options_bounded", False):
            self._options_bounded = True
            if self.request is not None:
                bound_place_options(form, self.request.user, self.data or {})
        return form


class PageOpinionFilter(BoundedPlacesMixin, OpinionFilter):
    """The opinion list page: the same filters with widgets for an HTML form (stations and grids to pick from)."""

    station = django_filters.ModelChoiceFilter(
        queryset=_visible_stations, method="filter_station", label=_("Station"), empty_label=_("All my stations")
    )
    grid = django_filters.ModelChoiceFilter(queryset=_visible_grids, field_name="grid", label=_("Grid"))

    date_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    resolved = django_filters.ChoiceFilter(
        choices=[("true", _("Resolved")), ("false", _("Not resolved"))], method="filter_resolved", label=_("Resolved")
    )

    def filter_resolved(self, queryset, name, value):
        return queryset.filter(resolved_at__isnull=value != "true")


# A city's office sees ~600 stations and ~4,800 grids: a select holds at most this many places.
PLACE_OPTIONS_LIMIT = 60


def _chosen_id(data, name):
    try:
        value = int(str(data.get(name, "")).strip())
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


def bound_place_options(form, user, data) -> None:
    """Keep the station and grid selects of a list's filter short whatever the user's scope.

    Validation still accepts any station or grid the user may see (the fields' querysets are untouched);
    only the options offered are bounded. Stations: all of them when there are few, otherwise the top of
    the user's tree (for the office the hubs), the chosen station with the stations above it and the ones
    directly below it — choosing a hub and filtering offers its area stations, and so on. Grids: those of
    the chosen station and below, or all of them when there are few; otherwise none but the chosen one.
    """
    from organisation.filters import tree_order
    from organisation.selectors import grids_visible_to, stations_visible_to

    station_field, grid_field = form.fields["station"], form.fields["grid"]
    stations = stations_visible_to(user)
    chosen = _chosen_id(data, "station")
    if stations.order_by().values("pk")[: PLACE_OPTIONS_LIMIT + 1].count() > PLACE_OPTIONS_LIMIT:
        visible = stations.order_by().values("pk")
        wanted = Q(parent__isnull=True) | ~Q(parent__in=visible)
        if chosen is not None:
            wanted |= Q(pk=chosen) | Q(parent=chosen) | Q(children=chosen) | Q(children__children=chosen)
        shown = stations.filter(pk__in=Station.objects.filter(wanted).values("pk")).order_by(tree_order(), "name", "pk")
        station_field.widget.choices = [("", station_field.empty_label)] + [
            (station.pk, station_field.label_from_instance(station)) for station in shown[: PLACE_OPTIONS_LIMIT * 2]
        ]
    grids = grids_visible_to(user).order_by("code")
    empty_label = grid_field.empty_label
    if chosen is not None:
        grids = grids.filter(subtree_q(chosen, "centre__community__station__") | Q(pk=_chosen_id(data, "grid") or 0))
    elif grids.order_by().values("pk")[: PLACE_OPTIONS_LIMIT + 1].count() > PLACE_OPTIONS_LIMIT:
        grids = grids.filter(pk=_chosen_id(data, "grid") or 0)
        empty_label = _("Choose a station first to list its grids")
    # An option is the grid's code and name: its own columns, without the centre, community and station
    # the scope's queryset joins for other uses.
    options = grids.select_related(None).only("pk", "code", "name")[: PLACE_OPTIONS_LIMIT * 4]
    grid_field.widget.choices = [("", empty_label)] + [
        (grid.pk, grid_field.label_from_instance(grid)) for grid in options
    ]


def _visit_deputies(request):
    from deputies.models import Deputy
    from deputies.selectors import deputies_visible_to

    if request is None:
        return Deputy.objects.none()
    # Station staff record visits with any active deputy (the visit form offers them all).
    if request.user.has_role(Role.STATION_STAFF):
        return Deputy.objects.filter(is_active=True).order_by("name", "id")
    return deputies_visible_to(request.user).order_by("name", "id")


class PageVisitFilter(BoundedPlacesMixin, VisitFilter):
    """The visit list page: stations, grids and deputies picked by name, dates from a date picker.

    The query string is the same as the API's (``?station=3&grid=7&deputy=12``): a choice's value is its id.
    """

    station = django_filters.ModelChoiceFilter(
        queryset=_visible_stations,
        method="filter_station",
        label=_("Station (and those below it)"),
        empty_label=_("All my stations"),
    )
    grid = django_filters.ModelChoiceFilter(queryset=_visible_grids, field_name="grid", label=_("Grid"))
    channel = django_filters.ChoiceFilter(choices=VisitChannel.choices, label=_("Channel"))
    deputy = django_filters.ModelChoiceFilter(
        queryset=_visit_deputies, field_name="deputies", distinct=True, label=_("Receiving deputy")
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter_station(self, queryset, name, value):
        return super().filter_station(queryset, name, getattr(value, "pk", value))
