"""Filter sets of the duties app (grid assignments, voter contacts), shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter, StrictFilterSet
from duties.models import GridAssignment, GridDuty, GridDutyKind, GridRole, VoterContact, VoterContactWay


class GridAssignmentFilter(StrictFilterSet):
    grid = django_filters.NumberFilter(field_name="grid")
    deputy = django_filters.NumberFilter(field_name="deputy")
    role = django_filters.ChoiceFilter(choices=GridRole.choices)
    open = StrictBooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("Current (not ended)"))

    class Meta:
        model = GridAssignment
        fields = ["grid", "deputy", "role", "open"]


class VoterContactFilter(StrictFilterSet):
    deputy = django_filters.NumberFilter(field_name="deputy_id")
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    way = django_filters.ChoiceFilter(choices=VoterContactWay.choices)

    class Meta:
        model = VoterContact
        fields = ["deputy", "year", "date_from", "date_to", "way"]


class GridDutyFilter(StrictFilterSet):
    deputy = django_filters.NumberFilter(field_name="deputy_id")
    grid = django_filters.NumberFilter(field_name="grid_id")
    station = django_filters.NumberFilter(
        field_name="grid__centre__community__station_id", label=_("Station (the grid's own station)")
    )
    kind = django_filters.ChoiceFilter(choices=GridDutyKind.choices)
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year")
    month = django_filters.NumberFilter(field_name="date", lookup_expr="month", min_value=1, max_value=12)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    back_recorded = StrictBooleanFilter(field_name="back_recorded", label=_("Recorded afterwards"))

    class Meta:
        model = GridDuty
        fields = ["deputy", "grid", "station", "kind", "year", "month", "date_from", "date_to", "back_recorded"]
