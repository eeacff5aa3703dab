from rest_framework import serializers

from core.serializers import StrictModelSerializer
from organisation.models import Community, Grid, GridCentre


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
