from rest_framework.routers import SimpleRouter

from livelihood.api import views

router = SimpleRouter()
router.register("livelihood/cycles", views.CycleViewSet, basename="livelihood-cycle")
router.register("livelihood/candidates", views.CandidateViewSet, basename="livelihood-candidate")
router.register("livelihood/sessions", views.SessionViewSet, basename="livelihood-session")
router.register("livelihood/ballots", views.BallotViewSet, basename="livelihood-ballot")
router.register("livelihood/projects", views.ProjectViewSet, basename="livelihood-project")
router.register("livelihood/visits", views.VisitViewSet, basename="livelihood-visit")
router.register("livelihood/ratings", views.RatingViewSet, basename="livelihood-rating")

urlpatterns = router.urls
