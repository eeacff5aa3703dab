"""``GET /api/v1/stats/stations/``: the five station figures over a period, on a basis, in a scope.

``{"visits_person_times", "opinions", "answered_on_site", "escalated", "resolved"}`` for the station
and the stations below it (or every station the user may see when no station is given). The
parameters are those of every statistics endpoint (``core.periods``): ``year`` or
``date_from``/``date_to``, ``basis`` (``cohort`` by default, or ``activity``), and the scope
``station``, ``unit``, ``deputy``. Which date each figure counts by is ``liaison.periods``. A
station, unit or deputy the user may not see answers 404 ``unknown_scope``; handling-unit officers,
who have no station, 403.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.periods import Basis, parse_stats_query, unknown_scope
from core.roles import Role
from liaison.api.reception_serializers import StationStatsQuerySerializer, StationStatsSerializer
from liaison.periods import STATION_BASIS_TEXT
from liaison.selectors import station_statistics, statistics_scope_refusal
from organisation.models import subtree_q
from organisation.selectors import stations_visible_to


def stats_scope(user, params: dict):
    """The stations a statistic covers, or the 403/404 the API answers."""
    if user.has_role(Role.UNIT_OFFICER):
        raise PermissionDenied(_("Handling-unit officers have no station statistics."))
    refused = statistics_scope_refusal(
        user, station=params.get("station"), unit=params.get("unit"), deputy=params.get("deputy")
    )
    if refused:
        raise unknown_scope(refused)
    visible = stations_visible_to(user)
    station_id = params.get("station")
    return visible if station_id is None else visible.filter(subtree_q(station_id))


@extend_schema(tags=["statistics"])
class StationStatsView(APIView):
    @extend_schema(
        parameters=[StationStatsQuerySerializer],
        responses={200: StationStatsSerializer},
        summary="Station statistics: person-times, opinions, answered on site, escalated, resolved",
        description="Counted over the period on the basis asked for. "
        f"**cohort** (default): {STATION_BASIS_TEXT[Basis.COHORT]} "
        f"**activity**: {STATION_BASIS_TEXT[Basis.ACTIVITY]} "
        "With `deputy`: the visits the deputy received and the opinions addressed to them or raised at "
        "those visits; with `unit`: the opinions referred to the unit and the visits they were raised at. "
        "Errors: 400 `unknown_parameter`, `invalid_parameter`, `period_conflict`, `period_out_of_bounds`, "
        "`period_reversed`; 404 `unknown_scope`; 403 for handling-unit officers.",
    )
    def get(self, request):
        params = parse_stats_query(StationStatsQuerySerializer, request.query_params)
        stations = stats_scope(request.user, params)
        figures = station_statistics(
            stations=stations,
            period=params["period"],
            basis=params["basis"],
            deputy=params.get("deputy"),
            unit=params.get("unit"),
        )
        return Response(StationStatsSerializer(figures).data)
