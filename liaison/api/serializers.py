from rest_framework import serializers

from core.serializers import StrictModelSerializer
from deputies.api.serializers import DeputyBriefSerializer
from deputies.models import Deputy
from organisation.models import Station


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
