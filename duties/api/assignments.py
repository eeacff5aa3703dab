"""The API of deputies' grid assignments (网格分工): visible with the grid; office and admin write."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from core.api_docs import WRITE_DOCS
from core.permissions import OfficeWritesOthersRead
from core.serializers import StrictModelSerializer
from duties.filters import GridAssignmentFilter
from duties.models import GridAssignment
from duties.services import assignments
from organisation.selectors import grids_visible_to


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


@extend_schema_view(**WRITE_DOCS)
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
