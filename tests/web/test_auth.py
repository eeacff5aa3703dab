"""Login, logout and the redirect of anonymous visitors."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def page_urls(org):
    return [
        reverse("home"),
        reverse("deputies:deputy_list"),
        reverse("deputies:deputy_detail", args=[org.owner.pk]),
        reverse("liaison:station_list"),
        reverse("liaison:station_detail", args=[org.area_a.pk]),
    ]


def test_anonymous_visitors_are_sent_to_login_from_every_page(client, org):
    login = reverse("accounts:login")
    for url in page_urls(org):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{login}?next={url}"


def test_login_page_is_chinese(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "<h1>登录</h1>" in page
    assert "用户名" in page and "密码" in page
    assert 'lang="zh-hans"' in page


def test_login_with_good_password_goes_to_next_page(client, users):
    response = client.post(
        reverse("accounts:login"), {"username": "office", "password": PASSWORD, "next": "/deputies/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/deputies/"
    assert client.get("/deputies/").status_code == 200


def test_login_with_wrong_password_says_so_in_chinese(client, users):
    response = client.post(reverse("accounts:login"), {"username": "office", "password": "not-the-password"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_login_page_redirects_a_logged_in_user_home(as_user):
    client = as_user("office")
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_is_a_post_and_ends_the_session(as_user):
    client = as_user("office")
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "您已安全退出" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_locked_out_page_is_chinese(client, users, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "office", "password": "wrong-password-1"})
    response = client.post(reverse("accounts:login"), {"username": "office", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "账号已锁定" in page and "登录失败次数过多" in page
