"""Everything the pages load comes from the application itself (stations sit on intranets)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]
# src/href/action pointing at another host: absolute http(s) URLs or protocol-relative ones.
EXTERNAL = re.compile(r"""(?:src|href|action|srcset)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE)
CSS_EXTERNAL = re.compile(r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//)""", re.IGNORECASE)


def external_references(html: str) -> list[str]:
    return [html[max(match.start() - 40, 0) : match.end() + 60] for match in EXTERNAL.finditer(html)]


def test_the_check_finds_external_references():
    assert external_references('<script src="https://cdn.example.com/x.js"></script>')
    assert external_references("<link href='//fonts.example.com/css'>")
    assert not external_references('<a href="/stations/">x</a> <a href="?page=2">y</a>')


@pytest.mark.django_db
def test_anonymous_pages_have_no_external_urls(client):
    assert not external_references(client.get(reverse("accounts:login")).content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["staff_a", "owner", "office", "leader", "admin", "unit"])
def test_role_pages_have_no_external_urls(as_user, org, key):
    client = as_user(key)
    urls = [
        reverse("home"),
        reverse("deputies:deputy_list"),
        reverse("deputies:deputy_detail", args=[org.owner.pk]),
        reverse("liaison:station_list"),
        reverse("liaison:station_detail", args=[org.point_a.pk]),
    ]
    if key == "admin":
        urls += [reverse("admin:index"), reverse("admin:organisation_grid_change", args=[org.grid_a1.pk])]
    for url in urls:
        response = client.get(url)
        if response.status_code == 404:  # out of this role's scope
            continue
        assert response.status_code == 200, url
        assert not external_references(response.content.decode()), url


def test_own_stylesheets_and_scripts_load_nothing_from_elsewhere():
    files = [*REPO.glob("static/css/*.css"), *REPO.glob("static/js/*.js")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not CSS_EXTERNAL.search(text), path
        assert "http://" not in text and "https://" not in text, path


def css_rule_problems(text: str) -> list[str]:
    """Where a stylesheet's blocks do not close: a rule left open swallows every rule after it."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    problems, depth, line = [], 0, 1
    for char in text:
        if char == "\n":
            line += 1
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                problems.append(f"line {line}: '}}' closes nothing")
                depth = 0
    if depth:
        problems.append(f"{depth} block(s) never closed")
    return problems


def test_every_stylesheet_closes_its_blocks():
    assert css_rule_problems(".a { color: red;\n.b { color: blue; }") == ["1 block(s) never closed"]
    for path in REPO.glob("static/css/*.css"):
        assert css_rule_problems(path.read_text(encoding="utf-8")) == [], path
