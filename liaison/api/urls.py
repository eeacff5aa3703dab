from django.urls import path
from rest_framework.routers import DefaultRouter

from duties.api import contacts
from liaison.api import public, reception_views, stats, views

router = DefaultRouter()
# Organisation
router.register("stations", views.StationViewSet, basename="station")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("grid-centres", views.GridCentreViewSet, basename="grid-centre")
router.register("grids", views.GridViewSet, basename="grid")
router.register("grid-assignments", views.GridAssignmentViewSet, basename="grid-assignment")
# Reception
router.register("reception-days", reception_views.ReceptionDayViewSet, basename="reception-day")
router.register("visits", reception_views.VisitViewSet, basename="visit")
router.register("opinions", reception_views.OpinionViewSet, basename="opinion")
router.register("voter-contacts", contacts.VoterContactViewSet, basename="voter-contact")

urlpatterns = router.urls + [
    path("stats/stations/", stats.StationStatsView.as_view(), name="stats-stations"),
    path("public/opinions/", public.PublicOpinionSubmitView.as_view(), name="public-opinion-submit"),
    path(
        "public/opinions/<str:tracking_code>/",
        public.PublicOpinionStatusView.as_view(),
        name="public-opinion-status",
    ),
]
