"""Admin of grids with their deputies' assignments, and of the assignments themselves."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceAdmin
from duties.models import GridAssignment, GridRole
from duties.services.assignments import (
    ASSIGNMENT_FIELDS,
    grid_assignment_create,
    grid_assignment_delete,
    grid_assignment_update,
)
from organisation.models import Grid
from organisation.services import (
    GRID_FIELDS,
    grid_create,
    grid_delete,
    grid_update,
)


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
