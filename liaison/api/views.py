from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from core.permissions import OfficeWritesOthersRead
from deputies.selectors import deputies_visible_to
from duties.filters import GridAssignmentFilter
from duties.models import GridAssignment
from duties.services import assignments
from liaison.api.serializers import (
    CommunitySerializer,
    GridAssignmentSerializer,
    GridAssignmentUpdateSerializer,
    GridCentreSerializer,
    GridSerializer,
    StationSerializer,
)
from liaison.filters.stations import CommunityFilter, GridCentreFilter, GridFilter, StationFilter
from organisation import services as organisation
from organisation.models import Community, GridCentre
from organisation.selectors import grids_visible_to, stations_visible_to

_WRITE_DOCS = {
    "create": extend_schema(summary="Create (office and admin)"),
    "update": extend_schema(summary="Replace (office and admin)"),
    "partial_update": extend_schema(summary="Change (office and admin)"),
    "destroy": extend_schema(summary="Delete an entry made by mistake (office and admin; 409 when in use)"),
}


@extend_schema_view(**_WRITE_DOCS)
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


@extend_schema_view(**_WRITE_DOCS)
@extend_schema(tags=["organisation"])
class GridViewSet(viewsets.ModelViewSet):
    """Unit grids (网格), each in exactly one grid centre, scoped to the user's role."""

    serializer_class = GridSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = GridFilter

    def get_queryset(self):
        return grids_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = organisation.grid_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = organisation.grid_update(grid=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        organisation.grid_delete(grid=instance)


def communities_visible_to(user) -> QuerySet[Community]:
    """Communities served by a station ``user`` may see (built on ``stations_visible_to``)."""
    return Community.objects.filter(station__in=stations_visible_to(user)).select_related("station")


def grid_centres_visible_to(user) -> QuerySet[GridCentre]:
    """Grid centres in a community ``user`` may see."""
    return GridCentre.objects.filter(community__station__in=stations_visible_to(user)).select_related(
        "community__station"
    )


class _CreateUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Read for everyone in scope, create and change for office and admin; no delete (no service deletes these)."""

    permission_classes = [OfficeWritesOthersRead]


_CREATE_UPDATE_DOCS = {action: _WRITE_DOCS[action] for action in ("create", "update", "partial_update")}


@extend_schema_view(**_CREATE_UPDATE_DOCS)
@extend_schema(tags=["organisation"])
class CommunityViewSet(_CreateUpdateViewSet):
    """Communities (社区) and the station serving each. Office and admin record and change them."""

    serializer_class = CommunitySerializer
    filterset_class = CommunityFilter

    def get_queryset(self):
        return communities_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = organisation.community_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = organisation.community_update(community=serializer.instance, **serializer.validated_data)


@extend_schema_view(**_CREATE_UPDATE_DOCS)
@extend_schema(tags=["organisation"])
class GridCentreViewSet(_CreateUpdateViewSet):
    """Grid centres (网格中心) inside communities. Office and admin record and change them."""

    serializer_class = GridCentreSerializer
    filterset_class = GridCentreFilter

    def get_queryset(self):
        return grid_centres_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = organisation.grid_centre_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = organisation.grid_centre_update(centre=serializer.instance, **serializer.validated_data)


@extend_schema_view(**_WRITE_DOCS)
@extend_schema(tags=["organisation"])
class GridAssignmentViewSet(viewsets.ModelViewSet):
    """Deputies assigned to grids. Visible with the grid; office and admin assign, change and end them."""

    permission_classes = [OfficeWritesOthersRead]
    filterset_class = GridAssignmentFilter

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return GridAssignmentUpdateSerializer
        return GridAssignmentSerializer

    def get_queryset(self):
        return (
            GridAssignment.objects.filter(grid__in=grids_visible_to(self.request.user))
            .select_related("grid", "deputy")
            .order_by("grid__code", "role", "deputy__name", "id")
        )

    def perform_create(self, serializer):
        serializer.instance = assignments.grid_assignment_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = assignments.grid_assignment_update(
            assignment=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        assignments.grid_assignment_delete(assignment=instance)
