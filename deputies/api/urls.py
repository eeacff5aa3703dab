from rest_framework.routers import DefaultRouter

from deputies.api import views

router = DefaultRouter()
router.register("deputies", views.DeputyViewSet, basename="deputy")
router.register("deputy-groups", views.DeputyGroupViewSet, basename="deputy-group")

urlpatterns = router.urls
