from django.urls import path
from rest_framework.routers import SimpleRouter

from suggestions.api import views

router = SimpleRouter()
router.register("units", views.HandlingUnitViewSet, basename="unit")
router.register("suggestions", views.SuggestionViewSet, basename="suggestion")

urlpatterns = [
    path("stats/suggestions/", views.SuggestionStatsView.as_view(), name="stats-suggestions"),
    # Before the router: ``suggestions/<pk>/`` would take "risk" for an id.
    path("suggestions/risk/", views.SuggestionRiskView.as_view(), name="suggestion-risk"),
    *router.urls,
]
