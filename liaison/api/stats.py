"""``GET /api/v1/stats/stations/?station=&date_from=&date_to=``: the five station figures.

``{"visits_person_times", "opinions", "answered_on_site", "escalated", "resolved"}`` for
the station and the stations below it (or every station the user may see when no station
is given), between the two dates inclusive. Scoped by role: a station the user may not
see answers 404; handling-unit officers, who have no station, 403.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import Role
from liaison.api.reception_serializers import StationStatsQuerySerializer, StationStatsSerializer
from liaison.selectors import station_statistics
from organisation.models import subtree_q
from organisation.selectors import stations_visible_to


def stats_scope(user, station_id: int | None):
    """The stations a statistic covers, or an error the caller turns into 403/404."""
    if user.has_role(Role.UNIT_OFFICER):
        raise PermissionDenied(_("Handling-unit officers have no station statistics."))
    visible = stations_visible_to(user)
    if station_id is None:
        return visible
    if not visible.filter(id=station_id).exists():
        raise NotFound(_("No such station."))
    return visible.filter(subtree_q(station_id))


@extend_schema(tags=["statistics"])
class StationStatsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("station", int, description="A station; its sub-stations are included"),
            OpenApiParameter("date_from", str, description="YYYY-MM-DD, inclusive"),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD, inclusive"),
        ],
        responses={200: StationStatsSerializer},
        summary="Station statistics: person-times, opinions, answered on site, escalated, resolved",
    )
    def get(self, request):
        query = StationStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        stations = stats_scope(request.user, params.get("station"))
        figures = station_statistics(
            stations=stations, date_from=params.get("date_from"), date_to=params.get("date_to")
        )
        return Response(StationStatsSerializer(figures).data)
