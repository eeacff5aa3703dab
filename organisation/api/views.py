"""The organisation's API: communities, grid centres and grids (stations are served with their resident
deputies by the liaison API). Reads are scoped by the selectors; writes go through the services."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from core.api_docs import WRITE_DOCS
from core.permissions import OfficeWritesOthersRead
from organisation import services as organisation
from organisation.api.serializers import CommunitySerializer, GridCentreSerializer, GridSerializer
from organisation.filters import CommunityFilter, GridCentreFilter, GridFilter
from organisation.selectors import communities_visible_to, grid_centres_visible_to, grids_visible_to


@extend_schema_view(**WRITE_DOCS)
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


class _CreateUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Read for everyone in scope, create and change for office and admin; no delete (no service deletes these)."""

    permission_classes = [OfficeWritesOthersRead]


_CREATE_UPDATE_DOCS = {action: WRITE_DOCS[action] for action in ("create", "update", "partial_update")}


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
