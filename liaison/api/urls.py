from rest_framework.routers import DefaultRouter

from liaison.api import views

router = DefaultRouter()
# Organisation
router.register("stations", views.StationViewSet, basename="station")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("grid-centres", views.GridCentreViewSet, basename="grid-centre")
router.register("grids", views.GridViewSet, basename="grid")
router.register("grid-assignments", views.GridAssignmentViewSet, basename="grid-assignment")

urlpatterns = router.urls
