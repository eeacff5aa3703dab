from rest_framework.routers import DefaultRouter

from topics.api import views

router = DefaultRouter()
router.register("topics", views.TopicViewSet, basename="topic")

urlpatterns = router.urls
