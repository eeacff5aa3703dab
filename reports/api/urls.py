from rest_framework.routers import SimpleRouter

from reports.api.views import ReportJobViewSet

router = SimpleRouter()
router.register("reports", ReportJobViewSet, basename="reports")

urlpatterns = router.urls
