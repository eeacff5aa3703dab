"""Hostile queries never fail: tsquery and SQL metacharacters, huge input, control characters, emoji."""

import pytest

from core.search import search
from liaison.models import Opinion
from search.selectors import find
from tests.builders.people import client_for

HOSTILE = [
    "& | ! : * ( ) ' \\",
    "电梯 & 停运",
    "电梯' OR 1=1 --",
    "'); DROP TABLE liaison_opinion; --",
    "!!电梯",
    "电梯:*",
    "(电梯 | 停运)",
    "<->",
    "\\'",
    "%_%",
    "x" * 10_000,
    "电" * 10_000,
    "电梯\x01\x02\x1b[31m",
    "😀🏠电梯🚀",
    "😀",
    "\u200b\u200e\ufeff",
    "Ａ",
    "a:*b",
    "$$ $tag$",
    "<script>alert(1)</script>",
]


@pytest.mark.django_db
@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_answer_sanely(searchable, q):
    office = searchable.world.office
    results = find(office, q)
    for count in results.counts:
        assert 0 <= count.count <= 500
    assert results.page == 1 and len(results.hits) <= 20


# What a query with metacharacters finds: its words, the punctuation ignored.
FOUND = {
    "!!电梯": {"lift_a", "lift_b"},
    "电梯:*": {"lift_a", "lift_b"},
    "(电梯 | 停运)": {"lift_b"},
    "电梯 & 停运": {"lift_b"},
    "😀🏠电梯🚀": {"lift_a", "lift_b"},
    "'电梯'": {"lift_a", "lift_b"},
    "& | ! : * ( ) ' \\": set(),
    "😀": set(),
    "电梯\x01\x02\x1b[31m": set(),  # "[31m" is a word too: nothing holds it
    "%_%": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("q", FOUND)
def test_metacharacters_are_ignored_and_words_still_match(searchable, q):
    found = {
        name for name in ("lift_a", "lift_b", "lamp_a") if getattr(searchable, name) in search(Opinion.objects.all(), q)
    }
    assert found == FOUND[q]


@pytest.mark.django_db
@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_through_the_api_and_the_page(searchable, client, q):
    office = searchable.world.office
    response = client_for(office).get("/api/v1/search/", {"q": q})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert "q" in response.json()  # only a blank query is refused
    client.force_login(office)
    page = client.get("/search/", {"q": q})
    assert page.status_code == 200
    assert b"<script>alert" not in page.content


@pytest.mark.django_db
def test_a_null_character_is_a_clear_400(searchable, client):
    office = searchable.world.office
    response = client_for(office).get("/api/v1/search/", {"q": "电梯\x00"})
    assert response.status_code == 400 and "q" in response.json()
    client.force_login(office)
    assert client.get("/search/", {"q": "电梯\x00"}).status_code == 400


@pytest.mark.django_db
def test_the_list_filters_take_hostile_text(searchable, client):
    client.force_login(searchable.world.office)
    for q in HOSTILE:
        assert client.get("/stations/reception/opinions/", {"q": q}).status_code == 200
        assert client.get("/suggestions/", {"q": q}).status_code == 200
        assert client_for(searchable.world.office).get("/api/v1/opinions/", {"q": q}).status_code == 200
        assert client_for(searchable.world.office).get("/api/v1/suggestions/", {"q": q}).status_code == 200
