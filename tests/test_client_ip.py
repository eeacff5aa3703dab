"""The client's address behind the trusted proxies, for the lockout, the rate limits and the privacy log.

Every client here reaches the app through the same proxy (``REMOTE_ADDR``) and may send any
``X-Forwarded-For`` it likes; the proxy appends the address it saw.
"""

from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from core.client_ip import client_ip
from core.roles import Role
from liaison.models import Opinion, PersonalDataAccess
from liaison.services.reception import visit_record
from tests.conftest import PASSWORD
from tests.liaison import reception_support
from tests.liaison.reception_support import fresh_ip
from tests.test_settings import load_settings, production_env

street = reception_support.street
isolated_rate_limits = reception_support.isolated_rate_limits

PROXY = "192.0.2.10"


def _request(xff=None, remote=PROXY):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    "proxies, xff, expected",
    [
        (0, None, PROXY),
        (0, "203.0.113.7", PROXY),  # no proxy configured: the header is the client's own word
        (1, None, PROXY),  # not through the proxy
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.1.1.1, 203.0.113.7", "203.0.113.7"),  # the left entry was written by the client
        (1, "1.1.1.1,203.0.113.7 ", "203.0.113.7"),
        (2, "1.1.1.1, 203.0.113.7, 198.51.100.2", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # fewer entries than proxies: not through the chain
        (1, "1.1.1.1, not-an-address", PROXY),
        (1, "1.1.1.1, 2001:DB8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_entry_as_many_places_from_the_right_as_there_are_proxies(settings, proxies, xff, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(xff)) == expected


@pytest.mark.parametrize("value", ["-1", "one"])
def test_a_bad_proxy_count_is_refused_clearly(value):
    result = load_settings(**production_env(TRUSTED_PROXY_COUNT=value))
    assert result.returncode != 0
    assert "ImproperlyConfigured: TRUSTED_PROXY_COUNT" in result.stderr


def _login(client, username, password, xff):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=xff,
    )


@pytest.mark.django_db
def test_lockout_behind_one_proxy_counts_the_real_client_not_the_spoofed_part(client, settings, make_user):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    make_user(Role.OFFICE, username="office")
    for n in range(3):  # the attacker varies the part it controls: it does not escape the lock
        _login(client, "office", "wrong-password-1", f"10.0.0.{n}, 203.0.113.7")
    assert _login(client, "office", PASSWORD, "10.9.9.9, 203.0.113.7").status_code == 429
    # Another client behind the same proxy still logs in.
    assert _login(client, "office", PASSWORD, "203.0.113.8").status_code == 302


@pytest.mark.django_db
def test_without_trusted_proxies_the_header_is_ignored_by_the_lockout(client, settings, make_user):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 3
    make_user(Role.OFFICE, username="office")
    for n in range(3):
        _login(client, "office", "wrong-password-1", f"203.0.113.{n}")
    # Same REMOTE_ADDR, so the same client, whatever the header says.
    assert _login(client, "office", PASSWORD, "203.0.113.99").status_code == 429


def _submit(client, street, xff, remote=PROXY):
    return client.post(
        "/api/v1/public/opinions/",
        {"station": street.a.pk, "category": "traffic", "content": "路灯不亮"},
        content_type="application/json",
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=xff,
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated_rate_limits")
def test_rate_limit_behind_one_proxy_is_per_client(client, street, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    ip, other = fresh_ip(), fresh_ip()
    for n in range(5):
        assert _submit(client, street, f"10.1.1.{n}, {ip}").status_code == 201
    assert _submit(client, street, f"10.2.2.2, {ip}").status_code == 429
    assert _submit(client, street, other).status_code == 201
    assert Opinion.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated_rate_limits")
def test_rate_limit_without_trusted_proxies_ignores_the_header(client, street, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    remote = fresh_ip()  # the one address the app sees; its one-minute window has time left
    for n in range(5):
        assert _submit(client, street, fresh_ip(), remote=remote).status_code == 201, n
    assert _submit(client, street, fresh_ip(), remote=remote).status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize("proxies, logged", [(0, PROXY), (1, "203.0.113.7")])
def test_the_privacy_log_records_the_client_address(street, settings, proxies, logged):
    settings.TRUSTED_PROXY_COUNT = proxies
    visit = visit_record(
        actor=street.staff_a,
        station=street.a,
        date=date(2024, 3, 15),
        channel="at_station",
        headcount=1,
        constituents=[{"name": "张三", "phone": "13812345678"}],
    )
    api = APIClient()
    api.force_authenticate(street.staff_a)
    response = api.post(
        f"/api/v1/visits/{visit.pk}/reveal/",
        {"reason": "回访群众"},
        format="json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="10.6.6.6, 203.0.113.7",
    )
    assert response.status_code == 200, response.content
    assert PersonalDataAccess.objects.get().ip_address == logged
