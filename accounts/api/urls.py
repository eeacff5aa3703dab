from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import views

router = DefaultRouter()
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", views.TokenRevokeView.as_view(), name="api-token-revoke"),
    *router.urls,
]
