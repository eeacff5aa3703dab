from rest_framework import serializers

from core.serializers import StrictModelSerializer
from deputies.api.serializers import DeputyBriefSerializer
from deputies.models import Deputy
from duties.models import GridAssignment
from organisation.models import Community, Grid, GridCentre, Station


class StationSerializer(StrictModelSerializer):
    """A station in the 1+4+N tree: ``parent`` is empty for a hub, a hub for an area station, an area for a point.

    ``resident_deputies`` (ids) replaces the current set when written; ``residents`` shows their names.
    Both list only the residents the viewer may see (the view prefetches them through
    ``deputies_visible_to``), so a station does not reveal deputies that are otherwise hidden.
    """

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None, allow_null=True)
    resident_deputies = serializers.PrimaryKeyRelatedField(many=True, queryset=Deputy.objects.all(), required=False)
    residents = DeputyBriefSerializer(source="resident_deputies", many=True, read_only=True)

    class Meta:
        model = Station
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "parent",
            "parent_name",
            "address",
            "opening_hours",
            "phone",
            "is_active",
            "resident_deputies",
            "residents",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class CommunitySerializer(StrictModelSerializer):
    """A community (社区) and the station that serves it; changing ``station`` moves its grid centres too."""

    station_name = serializers.CharField(source="station.name", read_only=True)

    class Meta:
        model = Community
        fields = ["id", "name", "station", "station_name"]


class GridCentreSerializer(StrictModelSerializer):
    """A grid centre (网格中心) inside a community; ``station`` is the community's, read-only here."""

    community_name = serializers.CharField(source="community.name", read_only=True)
    station = serializers.IntegerField(source="community.station_id", read_only=True)
    station_name = serializers.CharField(source="community.station.name", read_only=True)

    class Meta:
        model = GridCentre
        fields = ["id", "name", "community", "community_name", "station", "station_name"]


class GridSerializer(StrictModelSerializer):
    """A unit grid; it belongs to exactly one grid centre (and through it to a community and a station)."""

    centre_name = serializers.CharField(source="centre.name", read_only=True)
    community = serializers.IntegerField(source="centre.community_id", read_only=True)
    community_name = serializers.CharField(source="centre.community.name", read_only=True)
    station = serializers.IntegerField(source="centre.community.station_id", read_only=True)
    station_name = serializers.CharField(source="centre.community.station.name", read_only=True)

    class Meta:
        model = Grid
        fields = [
            "id",
            "centre",
            "centre_name",
            "community",
            "community_name",
            "station",
            "station_name",
            "name",
            "code",
            "households",
        ]
        # The unique name within a centre is checked by the service and reported on ``name``.
        validators: list = []


class GridAssignmentSerializer(StrictModelSerializer):
    """A deputy's place in a grid (网格长 / 网格员, 专职 / 兼职); an empty ``end_date`` means current."""

    grid_name = serializers.CharField(source="grid.name", read_only=True)
    grid_code = serializers.CharField(source="grid.code", read_only=True)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)

    class Meta:
        model = GridAssignment
        fields = [
            "id",
            "grid",
            "grid_name",
            "grid_code",
            "deputy",
            "deputy_name",
            "role",
            "role_label",
            "mode",
            "mode_label",
            "start_date",
            "end_date",
        ]
        # One open leader per grid and one open assignment per deputy and grid: checked by the service.
        validators: list = []


class GridAssignmentUpdateSerializer(GridAssignmentSerializer):
    """The grid and the deputy of an assignment do not change; end it and create another instead."""

    class Meta(GridAssignmentSerializer.Meta):
        read_only_fields = ["grid", "deputy"]
