from django.urls import path

from liaison import contact_views, public_views, reception_views, views

app_name = "liaison"

urlpatterns = [
    path("", views.station_list, name="station_list"),
    path("<int:pk>/", views.station_detail, name="station_detail"),
    # Reception: calendar, visits, opinions, duties, activities, dashboard, privacy audit
    path("reception/", reception_views.calendar_month, name="reception_calendar"),
    path("reception/rules/", reception_views.rule_list, name="reception_rules"),
    path("reception/rules/<int:pk>/", reception_views.rule_edit, name="reception_rule_edit"),
    path("reception/days/new/", reception_views.day_add, name="reception_day_add"),
    path("reception/days/<int:pk>/", reception_views.day_detail, name="reception_day"),
    path("reception/my-days/", reception_views.my_days, name="my_reception_days"),
    path("reception/visits/", reception_views.visit_list, name="visit_list"),
    path("reception/visits/new/", reception_views.visit_new, name="visit_new"),
    path("reception/visits/<int:pk>/", reception_views.visit_detail, name="visit_detail"),
    path("reception/opinions/", reception_views.opinion_list, name="opinion_list"),
    path("reception/opinions/<int:pk>/", reception_views.opinion_detail, name="opinion_detail"),
    path("reception/opinions/<int:pk>/photos/<int:photo_pk>/", reception_views.opinion_photo, name="opinion_photo"),
    path("reception/duties/", reception_views.duty_overview, name="duty_overview"),
    path("reception/duties/deputy/<int:pk>/", reception_views.duty_deputy, name="duty_deputy"),
    path("reception/duties/grid/<int:pk>/", reception_views.duty_grid, name="duty_grid"),
    path("reception/contacts/", contact_views.contact_overview, name="contact_overview"),
    path("reception/contacts/deputy/<int:pk>/", contact_views.contact_deputy, name="contact_deputy"),
    path("reception/activities/", reception_views.activity_list, name="activity_list"),
    path("reception/activities/<int:pk>/", reception_views.activity_detail, name="activity_detail"),
    path("reception/dashboard/", reception_views.dashboard, name="reception_dashboard"),
    path("reception/privacy/", reception_views.privacy_audit, name="privacy_audit"),
    path("reception/qr/", public_views.qr_sheet, name="qr_sheet"),
    path("reception/qr/station/<int:pk>.<str:fmt>", public_views.qr_station, name="qr_station"),
    path("reception/qr/deputy/<int:pk>.<str:fmt>", public_views.qr_deputy, name="qr_deputy"),
    # The public QR channel (no account)
    path("public/station/<int:pk>/", public_views.public_station, name="public_station"),
    path("public/deputy/<int:pk>/", public_views.public_deputy, name="public_deputy"),
    path("public/submitted/", public_views.public_submitted, name="public_submitted"),
    path("public/status/", public_views.public_status, name="public_status"),
]
