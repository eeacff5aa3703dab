from rest_framework.routers import DefaultRouter

from organisation.api import views

router = DefaultRouter()
router.register("communities", views.CommunityViewSet, basename="community")
router.register("grid-centres", views.GridCentreViewSet, basename="grid-centre")
router.register("grids", views.GridViewSet, basename="grid")

urlpatterns = router.urls
