from django.urls import path

from deputies import views

app_name = "deputies"

urlpatterns = [
    path("", views.deputy_list, name="deputy_list"),
]
