"""The Content-Security-Policy and Permissions-Policy headers, and templates that need no 'unsafe-inline'."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]
# The PDF templates are rendered by WeasyPrint, never served to a browser: they keep their inline styles.
# An inline script is allowed only with the response's nonce (the Swagger UI page).
SERVED_TEMPLATES = sorted(path for path in (REPO / "templates").rglob("*.html") if "pdf" not in path.parts)
INLINE = re.compile(
    r"<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:|<script(?![^>]*\b(?:src|nonce)=)(?![^>]*type=\"application/json\")[^>]*>",
    re.IGNORECASE,
)


def test_the_scan_finds_what_the_policy_forbids():
    for bad in ["<style>a{}</style>", '<i style="color:red">', '<form onsubmit="x()">', "<script>x()</script>"]:
        assert INLINE.search(bad), bad
    for good in [
        '<script src="/static/js/app.js" defer></script>',
        '<script type="application/json" id="t">',
        '<script nonce="{{ request.csp_nonce }}">',
    ]:
        assert not INLINE.search(good), good


@pytest.mark.parametrize("path", SERVED_TEMPLATES, ids=lambda path: str(path.relative_to(REPO)))
def test_served_templates_have_no_inline_style_or_script(path):
    found = [match.group(0) for match in INLINE.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_get_a_strict_policy_without_a_nonce(as_user):
    response = as_user("office").get(reverse("home"))
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_login_page_and_the_public_pages_get_the_policy(client, org):
    for url in [reverse("accounts:login"), reverse("liaison:public_station", args=[org.point_a.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _directives(response)["script-src"] == ["'self'"], url


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_get_a_nonce_that_their_scripts_carry(as_user, url):
    response = as_user("office").get(url)
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f"'nonce-{nonce}'" in _directives(response)["script-src"]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "fonts.googleapis.com" not in response.content.decode()


@pytest.mark.django_db
def test_two_responses_get_different_nonces(as_user):
    client = as_user("office")
    first, second = client.get("/api/docs/"), client.get("/api/docs/")
    assert first["Content-Security-Policy"] != second["Content-Security-Policy"]


@pytest.mark.django_db
def test_permissions_policy_switches_off_unused_features(client):
    policy = client.get(reverse("accounts:login"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy
