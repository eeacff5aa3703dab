from django.urls import path

from topics import views

app_name = "topics"

urlpatterns = [
    path("", views.hot, name="hot"),
    path("<int:pk>/", views.detail, name="detail"),
]
