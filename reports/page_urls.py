"""The report pages, under /reports/ (included from ``reports.urls``)."""

from django.urls import path

from reports import dashboard_views, performance_views, report_views

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export/<slug:table>/", dashboard_views.dashboard_export, name="dashboard_export"),
    path("print/", report_views.print_page, name="print"),
    path("print/request/", report_views.print_request, name="print_request"),
    path("jobs/<int:pk>/", report_views.job_page, name="job"),
    path("my-file/", performance_views.my_file, name="my_file"),
    path("deputies/<int:deputy_id>/file/", performance_views.deputy_file, name="deputy_file"),
    path("ranking/", performance_views.ranking_page, name="ranking"),
    path("ranking/export/", performance_views.ranking_export, name="ranking_export"),
    path("weights/", performance_views.weights_page, name="weights"),
]
