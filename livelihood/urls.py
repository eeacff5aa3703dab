from django.urls import path

from livelihood import views

app_name = "livelihood"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("public/", views.public, name="public"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/advance/", views.cycle_advance, name="cycle_advance"),
    path("cycles/<int:pk>/candidates/new/", views.candidate_add, name="candidate_add"),
    path("cycles/<int:pk>/shortlist/", views.shortlist_set, name="shortlist_set"),
    path("cycles/<int:pk>/vote/open/", views.vote_open, name="vote_open"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/close/", views.session_close, name="session_close"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/tie/", views.tie_decide, name="tie_decide"),
    path("sessions/<int:pk>/paper/", views.paper_ballots, name="paper_ballots"),
    path("sessions/<int:pk>/audit/", views.session_audit, name="session_audit"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/progress/", views.project_progress, name="project_progress"),
    path("projects/<int:pk>/sub-items/", views.project_sub_item, name="project_sub_item"),
    path("projects/<int:pk>/milestones/", views.project_milestone, name="project_milestone"),
    path(
        "projects/<int:pk>/milestones/<int:milestone_pk>/complete/", views.milestone_complete, name="milestone_complete"
    ),
    path("projects/<int:pk>/visits/", views.project_visit, name="project_visit"),
    path("projects/<int:pk>/ratings/", views.project_rating, name="project_rating"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
