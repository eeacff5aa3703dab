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


class PageOpinionFilter(OpinionFilter):
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
