from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ListedChildrenInline, NoDeleteServiceAdmin, ServiceAdmin
from duties.models import GridAssignment, GridRole
from duties.services.assignments import (
    ASSIGNMENT_FIELDS,
    grid_assignment_create,
    grid_assignment_delete,
    grid_assignment_update,
)
from organisation.models import Community, Grid, GridCentre, Station
from organisation.services import (
    COMMUNITY_FIELDS,
    GRID_CENTRE_FIELDS,
    GRID_FIELDS,
    STATION_FIELDS,
    community_create,
    community_update,
    grid_centre_create,
    grid_centre_update,
    grid_create,
    grid_delete,
    grid_update,
    station_create,
    station_delete,
    station_update,
)


class CommunityInline(ListedChildrenInline):
    model = Community
    fields = ("name",)


@admin.register(Station)
class StationAdmin(ServiceAdmin):
    service_fields = (*STATION_FIELDS, "resident_deputies")
    list_display = ("name", "kind", "parent", "address", "opening_hours", "is_active")
    list_filter = ("kind", "is_active", "parent")
    search_fields = ("name", "address")
    autocomplete_fields = ("parent", "resident_deputies")
    inlines = (CommunityInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def service_create(self, data):
        return station_create(**data)

    def service_update(self, obj, data):
        return station_update(station=obj, **data)

    def service_delete(self, obj):
        station_delete(station=obj)


class GridCentreInline(ListedChildrenInline):
    model = GridCentre
    fields = ("name",)


@admin.register(Community)
class CommunityAdmin(NoDeleteServiceAdmin):
    service_fields = COMMUNITY_FIELDS
    list_display = ("name", "station")
    list_filter = ("station__kind", "station")
    search_fields = ("name", "station__name")
    autocomplete_fields = ("station",)
    inlines = (GridCentreInline,)
    list_select_related = ("station",)

    def service_create(self, data):
        return community_create(**data)

    def service_update(self, obj, data):
        return community_update(community=obj, **data)


class GridInline(ListedChildrenInline):
    model = Grid
    fields = ("code", "name", "households")


@admin.register(GridCentre)
class GridCentreAdmin(NoDeleteServiceAdmin):
    service_fields = GRID_CENTRE_FIELDS
    list_display = ("name", "community", "station")
    list_filter = ("community__station",)
    search_fields = ("name", "community__name")
    autocomplete_fields = ("community",)
    inlines = (GridInline,)
    list_select_related = ("community__station",)

    @admin.display(description=_("station"), ordering="community__station__name")
    def station(self, centre):
        return centre.community.station

    def service_create(self, data):
        return grid_centre_create(**data)

    def service_update(self, obj, data):
        return grid_centre_update(centre=obj, **data)


class AssignmentFormSet(forms.BaseInlineFormSet):
    """Rules across the rows of one submission, which the per-row checks cannot see."""

    def clean(self):
        super().clean()
        open_rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.cleaned_data.get("end_date")
        ]
        if sum(1 for row in open_rows if row.get("role") == GridRole.LEADER) > 1:
            raise forms.ValidationError(gettext("This grid already has a grid leader."))
        deputies = [row.get("deputy") for row in open_rows if row.get("deputy")]
        if len(deputies) != len(set(deputies)):
            raise forms.ValidationError(gettext("This deputy is already assigned to this grid."))


class GridAssignmentInline(admin.TabularInline):
    model = GridAssignment
    formset = AssignmentFormSet
    extra = 0
    fields = ("deputy", "role", "mode", "start_date", "end_date")
    autocomplete_fields = ("deputy",)


@admin.register(Grid)
class GridAdmin(ServiceAdmin):
    service_fields = GRID_FIELDS
    list_display = ("code", "name", "centre", "community", "households")
    list_filter = ("centre__community__station", "centre")
    search_fields = ("code", "name", "centre__name", "centre__community__name")
    autocomplete_fields = ("centre",)
    inlines = (GridAssignmentInline,)
    list_select_related = ("centre__community",)

    @admin.display(description=_("community"), ordering="centre__community__name")
    def community(self, grid):
        return grid.centre.community

    def service_create(self, data):
        return grid_create(**data)

    def service_update(self, obj, data):
        return grid_update(grid=obj, **data)

    def service_delete(self, obj):
        grid_delete(grid=obj)


class OpenAssignmentFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return (("yes", _("Current")), ("no", _("Ended")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(end_date__isnull=True)
        if self.value() == "no":
            return queryset.filter(end_date__isnull=False)
        return queryset


@admin.register(GridAssignment)
class GridAssignmentAdmin(ServiceAdmin):
    service_fields = ("grid", "deputy", *ASSIGNMENT_FIELDS)
    list_display = ("deputy", "grid", "role", "mode", "start_date", "end_date")
    list_filter = (OpenAssignmentFilter, "role", "mode", "grid__centre__community__station")
    search_fields = ("deputy__name", "grid__code", "grid__name")
    autocomplete_fields = ("grid", "deputy")
    list_select_related = ("deputy", "grid")
    date_hierarchy = "start_date"

    def get_readonly_fields(self, request, obj=None):
        # To move a deputy, end the assignment and create another: the history stays.
        return ("grid", "deputy") if obj is not None else ()

    def service_create(self, data):
        return grid_assignment_create(**data)

    def service_update(self, obj, data):
        fields = {field: value for field, value in data.items() if field in ASSIGNMENT_FIELDS}
        return grid_assignment_update(assignment=obj, **fields)

    def service_delete(self, obj):
        grid_assignment_delete(assignment=obj)


from liaison import admin_reception  # noqa: E402, F401  (registers the reception records)
