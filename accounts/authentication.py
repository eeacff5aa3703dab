"""API token authentication with an expiry (``API_TOKEN_LIFETIME`` after issue)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts.services import api_token_is_expired


class TokenExpired(AuthenticationFailed):
    """401 with a machine-readable code, so scripts know to ask for a new token."""

    default_code = "token_expired"

    def __init__(self):
        super().__init__(
            detail={
                "detail": _("The API token has expired; ask for a new one at /api/v1/auth/token/."),
                "code": self.default_code,
            }
        )


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than ``API_TOKEN_LIFETIME``."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if api_token_is_expired(token):
            raise TokenExpired()
        return user, token
