"""Query filters for the suggestion list (API and pages share them)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import StrictFilterSet
from core.periods import Period
from core.search import search
from organisation.models import HandlingUnit, UnitKind
from suggestions.models import Assignment, Category, State
from suggestions.periods import cohort_q
from suggestions.selectors import deputies_of_station_q, due_soon_q, overdue_q


class SuggestionFilter(StrictFilterSet):
    """``state`` (repeatable), ``unit`` (lead or co-unit, active assignment), ``deputy`` (lead deputy),
    ``station`` (lead deputy resident at or assigned to a grid of the station or below), ``category``,
    ``overdue``, ``due_soon``, ``key_supervision``, ``year`` (year of first submission, the statistics'
    cohort year: ``suggestions.periods``) and ``q`` (text in the title or content)."""

    state = django_filters.MultipleChoiceFilter(choices=State.choices, label=_("State"))
    unit = django_filters.NumberFilter(method="filter_unit", label=_("Unit"))
    deputy = django_filters.NumberFilter(field_name="lead_deputy_id", label=_("Lead deputy"))
    station = django_filters.NumberFilter(method="filter_station", label=_("Station"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    due_soon = django_filters.BooleanFilter(method="filter_due_soon", label=_("Due soon"))
    key_supervision = django_filters.BooleanFilter(field_name="key_supervision", label=_("Key supervision"))
    # The cohort year of the statistics (suggestions.periods): the same suggestions in the list and the figures.
    year = django_filters.NumberFilter(method="filter_year", label=_("Year submitted"))
    q = django_filters.CharFilter(method="filter_text", label=_("Text"))

    def filter_unit(self, queryset, name, value):
        assigned = Assignment.objects.filter(unit_id=value, active=True).values("suggestion_id")
        return queryset.filter(id__in=assigned)

    def filter_station(self, queryset, name, value):
        return queryset.filter(deputies_of_station_q(value, "lead_deputy__"))

    def filter_year(self, queryset, name, value):
        return queryset.filter(cohort_q(Period.of_year(int(value))))

    def filter_overdue(self, queryset, name, value):
        condition = overdue_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_due_soon(self, queryset, name, value):
        condition = due_soon_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_text(self, queryset, name, value):
        """Full-text search over the title and content (``core.search``)."""
        return search(queryset, value)


class HandlingUnitFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    is_active = django_filters.BooleanFilter()
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = HandlingUnit
        fields = ["kind", "is_active", "q"]
