"""Branded error pages in Chinese (400, 403, 404, 500); JSON under the API; no technical 404 under DEBUG."""

import pytest
from django.test import Client
from django.urls import reverse

from core.views import server_error

pytestmark = pytest.mark.django_db

BRAND = "人大代表联络站"


def _text(response) -> str:
    return response.content.decode()


class TestNotFound:
    def test_an_unknown_address_gets_the_branded_page(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "页面不存在" in _text(response)
        assert BRAND in _text(response)

    def test_a_signed_in_user_keeps_the_site_layout(self, as_user):
        response = as_user("office").get("/stations/999999999/")
        assert response.status_code == 404
        assert "页面不存在" in _text(response)
        assert 'aria-label="主导航"' in _text(response)
        assert "退出" in _text(response)  # the account menu of base.html

    def test_under_debug_an_unknown_address_is_not_the_technical_page(self, client, settings):
        settings.DEBUG = True
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "页面不存在" in _text(response)
        assert "URLconf" not in _text(response)
        assert "Using the URLconf" not in _text(response)

    def test_under_debug_a_404_raised_by_a_view_is_branded_too(self, as_user, settings):
        settings.DEBUG = True
        response = as_user("office").get("/stations/999999999/")
        assert response.status_code == 404
        assert "页面不存在" in _text(response)
        assert "Raised by" not in _text(response)

    def test_under_debug_a_missing_trailing_slash_still_redirects(self, client, settings):
        settings.DEBUG = True
        response = client.get("/accounts/login")
        assert response.status_code == 301
        assert response["Location"] == "/accounts/login/"

    def test_the_api_answers_json(self, client):
        response = client.get("/api/v1/no-such-endpoint/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


class TestForbidden:
    def test_a_refused_page_explains_in_chinese_inside_the_site_layout(self, as_user):
        response = as_user("unit").get(reverse("liaison:privacy_audit"))
        assert response.status_code == 403
        assert "无权访问" in _text(response)
        assert "您的角色无权使用此页面。" in _text(response)
        assert "退出" in _text(response)


class TestBadRequest:
    def test_an_untrusted_host_gets_the_branded_page(self, client):
        response = client.get("/", HTTP_HOST="attacker.example")
        assert response.status_code == 400
        assert "请求有误" in _text(response)
        assert BRAND in _text(response)


class TestServerError:
    def test_a_failing_view_gets_the_branded_page(self, settings):
        settings.ROOT_URLCONF = "tests.web.urls_failing"
        response = Client(raise_request_exception=False).get("/failing/")
        assert response.status_code == 500
        assert "服务器错误" in _text(response)
        assert "a bug" not in _text(response)


def test_the_500_page_renders_without_a_request_or_the_database(django_db_blocker):
    with django_db_blocker.block():  # any query would raise
        response = server_error(None)
    assert response.status_code == 500
    assert "服务器错误" in _text(response)
    assert BRAND in _text(response)


def test_a_form_refused_by_the_csrf_check_gets_the_branded_page(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "office", "password": "x"})
    assert response.status_code == 403
    assert "表单未能提交" in _text(response)
    assert BRAND in _text(response)
