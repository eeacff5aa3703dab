from rest_framework.routers import DefaultRouter

from duties.api import assignments, contacts

router = DefaultRouter()
router.register("grid-assignments", assignments.GridAssignmentViewSet, basename="grid-assignment")
router.register("voter-contacts", contacts.VoterContactViewSet, basename="voter-contact")

urlpatterns = router.urls
