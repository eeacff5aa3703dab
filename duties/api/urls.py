from rest_framework.routers import DefaultRouter

from duties.api import assignments, contacts, grid_duties

router = DefaultRouter()
router.register("grid-assignments", assignments.GridAssignmentViewSet, basename="grid-assignment")
router.register("grid-duties", grid_duties.GridDutyViewSet, basename="grid-duty")
router.register("voter-contacts", contacts.VoterContactViewSet, basename="voter-contact")

urlpatterns = router.urls
