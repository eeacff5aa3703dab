from django.urls import path

from suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("new/", views.suggestion_create, name="create"),
    path("cosign-requests/", views.cosign_requests, name="cosign_requests"),
    path("inbox/", views.unit_inbox, name="inbox"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
    path("review/", views.review_queue, name="review"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("extensions/", views.extension_requests, name="extensions"),
    path("return-requests/", views.return_requests, name="return_requests"),
    path("stats/", views.stats, name="stats"),
    path("calendar/", views.calendar_overview, name="calendar"),
    path("calendar/enter/", views.calendar_enter, name="calendar_enter"),
    path("calendar/<int:year>/", views.calendar_year_detail, name="calendar_year"),
    path("from-opinion/<int:opinion_id>/", views.from_opinion, name="from_opinion"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
    path("<int:pk>/edit/", views.suggestion_edit, name="edit"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/replies/<int:reply_pk>/attachment/", views.reply_attachment_download, name="reply_attachment"),
    path("<int:pk>/<slug:action>/", views.suggestion_action, name="action"),
]
