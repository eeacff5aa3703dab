from django.urls import path

from liaison import views

app_name = "liaison"

urlpatterns = [
    path("", views.station_list, name="station_list"),
    path("<int:pk>/", views.station_detail, name="station_detail"),
]
