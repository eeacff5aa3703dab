"""Read-mostly admin: these rows are written by services and tasks, and are the record of what was sent."""

from django.contrib import admin

from notifications.models import Delivery, Notification, NotificationPreference, ReminderSent, TaskRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "verb", "created_at", "read_at"]
    list_filter = ["verb"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "reminder"]
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["notification", "channel", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["channel", "status"]
    list_select_related = ["notification"]
    raw_id_fields = ["notification"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["rule", "subject_key", "threshold_key", "recipient", "created_at"]
    list_filter = ["rule"]
    search_fields = ["subject_key", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.register(TaskRun)
class TaskRunAdmin(ReadOnlyAdmin):
    list_display = ["task_name", "status", "started_at", "finished_at", "worker"]
    list_filter = ["task_name", "status"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "sms", "updated_at"]
    raw_id_fields = ["user"]
