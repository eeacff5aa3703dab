from django.urls import path

from suggestions.views import actions, calendar, detail, drafting, lists, risk

app_name = "suggestions"

urlpatterns = [
    path("", lists.suggestion_list, name="list"),
    path("new/", drafting.suggestion_create, name="create"),
    path("record-past/", drafting.suggestion_record_past, name="record_past"),
    path("cosign-requests/", lists.cosign_requests, name="cosign_requests"),
    path("inbox/", lists.unit_inbox, name="inbox"),
    path("follow-ups/", lists.follow_up_list, name="follow_ups"),
    path("review/", lists.review_queue, name="review"),
    path("overdue/", lists.overdue_list, name="overdue"),
    path("risk/", risk.risk_list, name="risk"),
    path("extensions/", lists.extension_requests, name="extensions"),
    path("return-requests/", lists.return_requests, name="return_requests"),
    path("stats/", lists.stats, name="stats"),
    path("calendar/", calendar.calendar_overview, name="calendar"),
    path("calendar/enter/", calendar.calendar_enter, name="calendar_enter"),
    path("calendar/<int:year>/", calendar.calendar_year_detail, name="calendar_year"),
    path("from-opinion/<int:opinion_id>/", drafting.from_opinion, name="from_opinion"),
    path("<int:pk>/", detail.suggestion_detail, name="detail"),
    path("<int:pk>/edit/", drafting.suggestion_edit, name="edit"),
    path("<int:pk>/delete/", drafting.suggestion_delete, name="delete"),
    path("<int:pk>/attachments/<int:attachment_pk>/", detail.attachment_download, name="attachment"),
    path("<int:pk>/replies/<int:reply_pk>/attachment/", detail.reply_attachment_download, name="reply_attachment"),
    path("<int:pk>/<slug:action>/", actions.suggestion_action, name="action"),
]
