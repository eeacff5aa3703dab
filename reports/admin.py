from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reports.models import JobStatus, PointWeight, PointWeightChange, ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through their task; the admin shows why one failed."""

    list_display = ["id", "title", "kind", "year", "status", "progress", "requested_by", "created_at", "finished_at"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["title", "requested_by__username"]
    list_select_related = ["requested_by"]
    # The stored file is shown as the scoped download link, never as its storage URL.
    fields = [f.name for f in ReportJob._meta.fields if f.name != "file"] + ["download"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, job):
        if job.status != JobStatus.DONE or not job.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("reports-download", args=[job.pk]), _("Download PDF"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PointWeight)
class PointWeightAdmin(admin.ModelAdmin):
    """Read-only here: weights are changed on the weights page, which records every change."""

    list_display = ["item", "weight", "updated_by", "updated_at"]
    readonly_fields = ["item", "weight", "updated_by", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PointWeightChange)
class PointWeightChangeAdmin(admin.ModelAdmin):
    list_display = ["item", "old_weight", "new_weight", "changed_by", "changed_at"]
    list_filter = ["item"]
    list_select_related = ["changed_by"]
    readonly_fields = ["item", "old_weight", "new_weight", "changed_by", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
