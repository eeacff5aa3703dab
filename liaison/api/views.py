from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from core.api_docs import WRITE_DOCS
from core.permissions import OfficeWritesOthersRead
from deputies.selectors import deputies_visible_to
from liaison.api.serializers import StationSerializer
from organisation import services as organisation
from organisation.filters import StationFilter
from organisation.selectors import stations_visible_to


@extend_schema_view(**WRITE_DOCS)
@extend_schema(tags=["organisation"])
class StationViewSet(viewsets.ModelViewSet):
    """Stations of the 1+4+N tree (hub → area stations → community points), scoped to the user's role."""

    serializer_class = StationSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = StationFilter

    def get_queryset(self):
        user = self.request.user
        # Only the residents the user may see: a station must not reveal deputies hidden elsewhere. One
        # prefetch query whatever the number of rows (the scope is a subquery; the terms are not needed).
        visible_residents = deputies_visible_to(user).prefetch_related(None)
        return stations_visible_to(user).prefetch_related(Prefetch("resident_deputies", queryset=visible_residents))

    def perform_create(self, serializer):
        serializer.instance = organisation.station_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = organisation.station_update(station=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        organisation.station_delete(station=instance)
