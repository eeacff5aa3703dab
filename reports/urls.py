from django.urls import include, path

from reports import views

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", include("reports.page_urls")),
]
