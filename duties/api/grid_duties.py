"""API of the "四个一" grid duties: a deputy's patrols, grid meetings, research visits and 述职.

Scoped like the pages (``grid_duties_visible_to``): the office, leaders and admins see every duty,
station staff those done in their stations' grids, a deputy their own. Writes go through the
services: the deputy records their own duty while its period is open; the grid's station staff and
the office record for anyone and, once the period has closed, afterwards (补录: ``back_recorded``,
with ``recorded_by`` and ``created_at`` saying who entered it and when). 403 for someone who may not
record the deputy's duties, 400 with field errors on bad input.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.dates import validate_event_date
from core.serializers import StrictModelSerializer, StrictSerializer
from deputies.models import Deputy
from duties.filters import GridDutyFilter
from duties.models import GridDuty, GridDutyKind
from duties.selectors import grid_duties_visible_to
from duties.services import grid_duties as duty_services
from organisation.models import Grid


class GridDutySerializer(StrictModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    grid_code = serializers.CharField(source="grid.code", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.display_name", read_only=True)
    updated_by = serializers.CharField(source="updated_by.display_name", read_only=True, default=None, allow_null=True)
    back_recorded = serializers.BooleanField(
        read_only=True,
        help_text="补录: entered after the duty's period (month, quarter or year) had closed, by the station or "
        "the office; ``recorded_by`` and ``created_at`` say who entered it and when.",
    )

    class Meta:
        model = GridDuty
        fields = [
            "id",
            "deputy",
            "deputy_name",
            "grid",
            "grid_name",
            "grid_code",
            "kind",
            "kind_label",
            "date",
            "note",
            "back_recorded",
            "recorded_by",
            "created_at",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = fields


_DATE_HELP = (
    "The day the duty was done: not in the future, while the deputy was assigned to the grid. A deputy "
    "records dates of the open period only (this month for patrols and meetings, this quarter for research, "
    "this year for 述职); an earlier date is 补录, for the grid's station staff and the office (else 400)."
)


class GridDutyCreateSerializer(StrictSerializer):
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all())
    grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.select_related("centre__community"))
    kind = serializers.ChoiceField(choices=GridDutyKind.choices)
    date = serializers.DateField(validators=[validate_event_date], help_text=_DATE_HELP)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class GridDutyUpdateSerializer(StrictSerializer):
    grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.select_related("centre__community"), required=False)
    kind = serializers.ChoiceField(choices=GridDutyKind.choices, required=False)
    date = serializers.DateField(required=False, validators=[validate_event_date], help_text=_DATE_HELP)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


@extend_schema(tags=["reception"])
@extend_schema_view(
    list=extend_schema(summary="Grid duties (四个一) the user may see"),
    retrieve=extend_schema(summary="One grid duty"),
)
class GridDutyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """ "四个一" duties: one patrol and one grid meeting a month, a research visit a quarter, 述职 a year."""

    serializer_class = GridDutySerializer
    filterset_class = GridDutyFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return grid_duties_visible_to(self.request.user).order_by("-date", "-id")

    @extend_schema(
        summary="Record a duty (the deputy their own; station staff and the office for anyone, and afterwards)",
        request=GridDutyCreateSerializer,
        responses={201: GridDutySerializer},
    )
    def create(self, request, *args, **kwargs):
        data = GridDutyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        duty = duty_services.grid_duty_record(actor=request.user, **data.validated_data)
        return Response(GridDutySerializer(self.get_queryset().get(pk=duty.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct a duty (the same people who may record it; the deputy cannot change)",
        request=GridDutyUpdateSerializer,
        responses={200: GridDutySerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        duty = self.get_object()
        data = GridDutyUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        duty_services.grid_duty_update(duty=duty, actor=request.user, **data.validated_data)
        return Response(GridDutySerializer(self.get_queryset().get(pk=duty.pk)).data)
