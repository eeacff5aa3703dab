from django.urls import path

from deputies import views

app_name = "deputies"

# config/urls.py passes every view here a ``station_scope`` keyword (the station selector).

urlpatterns = [
    path("", views.deputy_list, name="deputy_list"),
    path("<int:pk>/", views.deputy_detail, name="deputy_detail"),
]
