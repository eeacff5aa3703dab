from django.urls import path
from rest_framework.routers import DefaultRouter

from liaison.api import public, reception_views, stats, views

router = DefaultRouter()
# Stations, with their resident deputies (communities, grid centres and grids: organisation.api)
router.register("stations", views.StationViewSet, basename="station")
# Reception
router.register("reception-days", reception_views.ReceptionDayViewSet, basename="reception-day")
router.register("visits", reception_views.VisitViewSet, basename="visit")
router.register("opinions", reception_views.OpinionViewSet, basename="opinion")

urlpatterns = router.urls + [
    path("stats/stations/", stats.StationStatsView.as_view(), name="stats-stations"),
    path("public/opinions/", public.PublicOpinionSubmitView.as_view(), name="public-opinion-submit"),
    path(
        "public/opinions/<str:tracking_code>/",
        public.PublicOpinionStatusView.as_view(),
        name="public-opinion-status",
    ),
]
