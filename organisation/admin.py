"""Admin of the organisation's reference data: communities, grid centres (stations: liaison.admin)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ListedChildrenInline, NoDeleteServiceAdmin
from organisation.models import Community, Grid, GridCentre
from organisation.services import (
    COMMUNITY_FIELDS,
    GRID_CENTRE_FIELDS,
    community_create,
    community_update,
    grid_centre_create,
    grid_centre_update,
)


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
