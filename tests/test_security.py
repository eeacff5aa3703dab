"""Security basics from day one: password policy, login lockout, idle session timeout."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.services import user_create
from core.roles import Role
from tests.conftest import PASSWORD

GOOD_PASSWORD = "Kx9#mQ2$vLp7"  # 12 characters, nothing common about it


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


class TestPasswordPolicy:
    def test_eleven_characters_are_refused(self):
        with pytest.raises(ValidationError) as refused:
            validate_password(GOOD_PASSWORD[:11])
        assert _codes(refused.value) == {"password_too_short"}

    def test_a_common_password_is_refused_even_when_long_enough(self):
        with pytest.raises(ValidationError) as refused:
            validate_password("qwerty123456")
        assert "password_too_common" in _codes(refused.value)

    def test_twelve_good_characters_are_accepted(self):
        assert validate_password(GOOD_PASSWORD) is None

    def test_the_refusal_is_explained_in_chinese(self):
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            validate_password("short-pass")
        assert "12" in refused.value.messages[0]
        assert "密码" in refused.value.messages[0]

    @pytest.mark.django_db
    def test_creating_an_account_with_a_short_password_writes_nothing(self):
        with pytest.raises(ValidationError):
            user_create(username="wang_office", password=GOOD_PASSWORD[:11], role=Role.OFFICE)
        assert not User.objects.exists()

    @pytest.mark.django_db
    def test_creating_an_account_with_a_good_password_works(self):
        user = user_create(username="wang_office", password=GOOD_PASSWORD, role=Role.OFFICE)
        assert user.check_password(GOOD_PASSWORD)


def _login(client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
class TestLoginLockout:
    def test_the_sixth_attempt_with_the_right_password_is_refused_after_five_failures(self, client, make_user):
        user = make_user(Role.OFFICE, username="chen_office")
        for attempt in range(1, 6):
            response = _login(client, "chen_office", f"wrong-password-{attempt}")
            assert _logged_in_user_id(client) is None
            if attempt < 5:
                assert response.status_code == 200  # the form again, with an error
        response = _login(client, "chen_office", PASSWORD)
        assert response.status_code == 429
        assert _logged_in_user_id(client) is None
        content = response.content.decode()
        assert "锁定" in content  # the Chinese lockout page
        assert user.check_password(PASSWORD)  # the account itself is untouched

    def test_four_failures_do_not_lock_and_a_success_clears_them(self, client, make_user):
        user = make_user(Role.OFFICE, username="chen_office")
        for attempt in range(4):
            _login(client, "chen_office", f"wrong-password-{attempt}")
        response = _login(client, "chen_office", PASSWORD)
        assert response.status_code == 302
        assert _logged_in_user_id(client) == str(user.pk)
        client.logout()
        # The counter started again: four more failures still leave the door open.
        for attempt in range(4):
            _login(client, "chen_office", f"wrong-password-{attempt}")
        assert _login(client, "chen_office", PASSWORD).status_code == 302

    def test_the_lockout_is_per_username(self, client, make_user):
        make_user(Role.OFFICE, username="chen_office")
        other = make_user(Role.OFFICE, username="li_office")
        for attempt in range(5):
            _login(client, "chen_office", f"wrong-password-{attempt}")
        assert _login(client, "li_office", PASSWORD).status_code == 302
        assert _logged_in_user_id(client) == str(other.pk)


@pytest.mark.django_db
class TestIdleSessionTimeout:
    def test_the_defaults_are_thirty_minutes_renewed_on_every_request(self):
        assert settings.SESSION_SAVE_EVERY_REQUEST is True
        assert settings.SESSION_COOKIE_AGE == 30 * 60

    def _session(self, client) -> Session:
        return Session.objects.get(session_key=client.session.session_key)

    def test_a_session_idle_longer_than_the_limit_is_logged_out(self, client, make_user):
        make_user(Role.OFFICE, username="zhou_office")
        assert _login(client, "zhou_office", PASSWORD).status_code == 302
        assert client.get(reverse("home")).status_code == 200
        # The last request was 30 minutes and one second ago: its expiry has just passed.
        Session.objects.filter(pk=self._session(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_activity_keeps_the_session_alive(self, client, make_user):
        make_user(Role.OFFICE, username="zhou_office")
        _login(client, "zhou_office", PASSWORD)
        # 29 idle minutes: one minute left. The next request renews the full idle time.
        Session.objects.filter(pk=self._session(client).pk).update(expire_date=timezone.now() + timedelta(minutes=1))
        assert client.get(reverse("home")).status_code == 200
        remaining = self._session(client).expire_date - timezone.now()
        assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
