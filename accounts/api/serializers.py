from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from accounts.models import User
from core.serializers import StrictModelSerializer, StrictSerializer


class TokenRequestSerializer(StrictSerializer):
    """Credentials exchanged for an API token; every attempt counts towards the login lockout."""

    # Bounded like the login form: a longer name cannot exist, and would not fit the lockout's records.
    username = serializers.CharField(
        label=gettext_lazy("Username"), write_only=True, max_length=User._meta.get_field("username").max_length
    )
    password = serializers.CharField(
        label=gettext_lazy("Password"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
        max_length=4096,
    )

    def validate(self, attrs):
        # authenticate() goes through django-axes, which counts the failure and may lock the account.
        user = authenticate(request=self.context["request"], username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(
                _("Wrong username or password, or the account is disabled."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(StrictSerializer):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True, help_text="After this the token gets 401 token_expired.")


class TokenRevokedSerializer(StrictSerializer):
    revoked = serializers.IntegerField(read_only=True, help_text="How many tokens were revoked (0 or 1).")


class UserSerializer(StrictModelSerializer):
    """An account with its role and links; the password is write-only and checked by the password policy."""

    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "password",
            "role",
            "role_label",
            "stations",
            "deputy",
            "unit",
            "first_name",
            "last_name",
            "email",
            "phone",
            "is_active",
            "is_superuser",
            "last_login",
            "date_joined",
        ]
        read_only_fields = ["is_active", "is_superuser", "last_login", "date_joined"]
        extra_kwargs = {
            "password": {"write_only": True, "style": {"input_type": "password"}, "trim_whitespace": False},
            "role": {"required": True},
            "stations": {"required": False},
            # A deputy record with an account already is reported by the service, in words a person understands.
            "deputy": {"required": False, "allow_null": True, "validators": []},
            "unit": {"required": False, "allow_null": True},
        }

    def validate_username(self, value):
        if self.instance is not None and value != self.instance.username:
            raise serializers.ValidationError(_("A username cannot be changed."))
        return value
