from django.contrib import admin

from core.admin import ListedChildrenInline, ServiceAdmin
from organisation.models import Community, Station
from organisation.services import (
    STATION_FIELDS,
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


from liaison import admin_reception  # noqa: E402, F401  (registers the reception records)
