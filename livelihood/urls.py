from django.urls import path

from livelihood.views import cycles, projects, public, voting

app_name = "livelihood"

urlpatterns = [
    path("", cycles.cycle_list, name="cycle_list"),
    path("public/", public.public, name="public"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/advance/", cycles.cycle_advance, name="cycle_advance"),
    path("cycles/<int:pk>/candidates/new/", cycles.candidate_add, name="candidate_add"),
    path("cycles/<int:pk>/shortlist/", cycles.shortlist_set, name="shortlist_set"),
    path("cycles/<int:pk>/vote/open/", voting.vote_open, name="vote_open"),
    path("sessions/<int:pk>/", voting.session_detail, name="session_detail"),
    path("sessions/<int:pk>/close/", voting.session_close, name="session_close"),
    path("sessions/<int:pk>/attendance/", voting.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/tie/", voting.tie_decide, name="tie_decide"),
    path("sessions/<int:pk>/paper/", voting.paper_ballots, name="paper_ballots"),
    path("sessions/<int:pk>/audit/", voting.session_audit, name="session_audit"),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/progress/", projects.project_progress, name="project_progress"),
    path("projects/<int:pk>/sub-items/", projects.project_sub_item, name="project_sub_item"),
    path("projects/<int:pk>/milestones/", projects.project_milestone, name="project_milestone"),
    path(
        "projects/<int:pk>/milestones/<int:milestone_pk>/complete/",
        projects.milestone_complete,
        name="milestone_complete",
    ),
    path("projects/<int:pk>/visits/", projects.project_visit, name="project_visit"),
    path("projects/<int:pk>/ratings/", projects.project_rating, name="project_rating"),
    path("photos/<int:pk>/", projects.photo, name="photo"),
]
