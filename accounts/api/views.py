from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import (
    TokenRequestSerializer,
    TokenResponseSerializer,
    TokenRevokedSerializer,
    UserSerializer,
)
from accounts.filters import UserFilter
from accounts.models import User
from accounts.services import (
    api_token_expires_at,
    api_token_issue,
    api_tokens_revoke,
    user_create,
    user_deactivate,
    user_reactivate,
    user_update,
)
from accounts.views import lockout_response
from core.permissions import IsAdministrator

_Detail = inline_serializer("Detail", {"detail": serializers.CharField(), "code": serializers.CharField()})


class TokenView(APIView):
    """Exchange a username and password for the account's API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description="Wrong username or password (message in Chinese)."),
            429: OpenApiResponse(_Detail, description="Too many failed attempts: the account is locked for now."),
        },
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        valid = serializer.is_valid()
        # django-axes flags the DRF request (not the Django one its middleware looks at) when the
        # attempt is locked out, so the lockout answer is given here.
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request._request)
        if not valid:
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        user = serializer.validated_data["user"]
        # A token request is a login: it records last_login and resets the lockout counter (django-axes).
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token = api_token_issue(user=user)
        return Response(TokenResponseSerializer({"token": token.key, "expires_at": api_token_expires_at(token)}).data)


class TokenRevokeView(APIView):
    """Revoke the caller's own API token at once (with the token itself or a logged-in session)."""

    @extend_schema(
        operation_id="auth_token_revoke", request=None, responses={200: TokenRevokedSerializer}, tags=["auth"]
    )
    def post(self, request):
        revoked = api_tokens_revoke(user=request.user, actor=request.user)
        return Response({"revoked": revoked})


@extend_schema(tags=["users"])
class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Accounts, their roles and links; administrators only. Accounts are switched off and on, never deleted."""

    serializer_class = UserSerializer
    permission_classes = [IsAdministrator]
    filterset_class = UserFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return User.objects.select_related("deputy", "unit").prefetch_related("stations").order_by("username")

    def perform_create(self, serializer):
        serializer.instance = user_create(**serializer.validated_data)

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        changes.pop("username", None)  # unchanged: the serializer refuses a different one
        serializer.instance = user_update(user=serializer.instance, actor=self.request.user, **changes)

    @extend_schema(request=None, responses={200: UserSerializer, 409: _Detail})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Switch the account off: no more logins, API token revoked; its records stay."""
        user = user_deactivate(user=self.get_object(), actor=request.user)
        return Response(self.get_serializer(user).data)

    @extend_schema(request=None, responses={200: TokenRevokedSerializer})
    @action(detail=True, methods=["post"], url_path="revoke-tokens")
    def revoke_tokens(self, request, pk=None):
        """Revoke the account's API token at once (the account asks for a new one with its password)."""
        return Response({"revoked": api_tokens_revoke(user=self.get_object(), actor=request.user)})

    @extend_schema(request=None, responses={200: UserSerializer})
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """Switch a deactivated account back on: it logs in again with its password; a login lockout stays."""
        user = user_reactivate(user=self.get_object(), actor=request.user)
        return Response(self.get_serializer(user).data)
