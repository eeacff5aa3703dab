from django.urls import path

from duties.views import activities, contacts, grid_duties
from liaison.views import dashboard, opinions, privacy, public, qr, reception, stations, visits

app_name = "liaison"

urlpatterns = [
    path("", stations.station_list, name="station_list"),
    path("<int:pk>/", stations.station_detail, name="station_detail"),
    # Reception: calendar, visits, opinions, dashboard, privacy audit; the duty pages (grid duties,
    # voter contacts, activities) come from the duties app
    path("reception/", reception.calendar_month, name="reception_calendar"),
    path("reception/rules/", reception.rule_list, name="reception_rules"),
    path("reception/rules/<int:pk>/", reception.rule_edit, name="reception_rule_edit"),
    path("reception/days/new/", reception.day_add, name="reception_day_add"),
    path("reception/days/<int:pk>/", reception.day_detail, name="reception_day"),
    path("reception/my-days/", reception.my_days, name="my_reception_days"),
    path("reception/visits/", visits.visit_list, name="visit_list"),
    path("reception/visits/new/", visits.visit_new, name="visit_new"),
    path("reception/visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("reception/opinions/", opinions.opinion_list, name="opinion_list"),
    path("reception/opinions/<int:pk>/", opinions.opinion_detail, name="opinion_detail"),
    path("reception/opinions/<int:pk>/photos/<int:photo_pk>/", opinions.opinion_photo, name="opinion_photo"),
    path("reception/duties/", grid_duties.duty_overview, name="duty_overview"),
    path("reception/duties/deputy/<int:pk>/", grid_duties.duty_deputy, name="duty_deputy"),
    path("reception/duties/grid/<int:pk>/", grid_duties.duty_grid, name="duty_grid"),
    path("reception/contacts/", contacts.contact_overview, name="contact_overview"),
    path("reception/contacts/deputy/<int:pk>/", contacts.contact_deputy, name="contact_deputy"),
    path("reception/activities/", activities.activity_list, name="activity_list"),
    path("reception/activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("reception/dashboard/", dashboard.dashboard, name="reception_dashboard"),
    path("reception/privacy/", privacy.privacy_audit, name="privacy_audit"),
    path("reception/qr/", qr.qr_sheet, name="qr_sheet"),
    path("reception/qr/station/<int:pk>.<str:fmt>", qr.qr_station, name="qr_station"),
    path("reception/qr/deputy/<int:pk>.<str:fmt>", qr.qr_deputy, name="qr_deputy"),
    # The public QR channel (no account)
    path("public/station/<int:pk>/", public.public_station, name="public_station"),
    path("public/deputy/<int:pk>/", public.public_deputy, name="public_deputy"),
    path("public/deputy/<int:pk>/photo/", public.public_deputy_photo, name="public_deputy_photo"),
    path("public/submitted/", public.public_submitted, name="public_submitted"),
    path("public/submitted/sms/", public.public_sms, name="public_sms"),
    path("public/status/", public.public_status, name="public_status"),
]
