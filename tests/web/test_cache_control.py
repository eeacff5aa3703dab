"""No browser or proxy keeps a copy of a page or API answer: Cache-Control: no-store; static files stay cacheable."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("liaison:visit_list"),
        reverse("liaison:opinion_list"),
        reverse("liaison:visit_new"),
    ],
)
def test_pages_behind_the_login_are_no_store(as_user, url):
    response = as_user("staff_a").get(url)
    assert response.status_code == 200
    assert _no_store(response)
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["liaison:visit_list", "liaison:opinion_list"])
def test_exports_are_no_store(as_user, name):
    response = as_user("office").get(reverse(name), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _no_store(response)


def test_the_api_is_no_store_with_a_token(users):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['office']).key}")
    response = client.get("/api/v1/deputies/")
    assert response.status_code == 200
    assert _no_store(response)


def test_api_refusals_and_the_login_page_are_no_store(client):
    assert _no_store(client.get("/api/v1/deputies/"))
    assert _no_store(client.get(reverse("accounts:login")))


def test_static_files_keep_their_caching(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert not _no_store(response)
    assert "max-age" in response["Cache-Control"]
