"""Read-only admin views of livelihood data: every change goes through the services and their pages."""

from django.contrib import admin

from livelihood.models import Candidate, CycleEvent, Milestone, Project, ProjectRating, YearCycle


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CycleEventInline(admin.TabularInline):
    model = CycleEvent
    fields = ["created_at", "action", "from_stage", "to_stage", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(YearCycle)
class YearCycleAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "stage", "places"]
    list_filter = ["stage"]
    inlines = [CycleEventInline]


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["title", "cycle", "proposer_kind", "responsible_unit", "shortlisted", "votes_for", "result"]
    list_filter = ["cycle", "shortlisted", "result", "proposer_kind"]
    list_select_related = ["cycle", "responsible_unit"]
    search_fields = ["title"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "cycle", "responsible_unit", "budget", "progress_percent", "verdict"]
    list_filter = ["cycle", "verdict"]
    list_select_related = ["cycle", "responsible_unit"]
    search_fields = ["title"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "due_date", "completed_on"]
    list_select_related = ["project"]


@admin.register(ProjectRating)
class ProjectRatingAdmin(ReadOnlyAdmin):
    list_display = ["project", "deputy", "rating", "entered_by", "rated_at"]
    list_filter = ["rating"]
    list_select_related = ["project", "deputy", "entered_by"]
