from rest_framework.routers import SimpleRouter

from imports.api import views

router = SimpleRouter()
router.register("imports", views.ImportBatchViewSet, basename="imports")

urlpatterns = router.urls
