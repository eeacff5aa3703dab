"""Real Chromium: typing into the navigation's search box finds the opinion, the match highlighted."""

import pytest

from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_nav_search_box_finds_and_highlights(page, searchable):  # noqa: F811
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, "staffa")
    page.goto("/")
    page.fill("#nav-search-q", "电梯")
    page.press("#nav-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    mark = page.locator(".search-hit mark").first
    mark.wait_for()
    assert mark.inner_text() == "电梯"
    # Station A's staff see station A's opinion, not station B's.
    hits = page.locator(".search-hit")
    assert hits.count() == 1 and "加装电梯" in hits.first.inner_text()
    assert page.input_value("#nav-search-q") == "电梯"
    # The tabs carry each kind's count; the suggestions tab lists the suggestion.
    page.click(".page-actions a[href*='kind=suggestions']")
    page.wait_for_selector(".search-hit:has-text('关于老旧小区加装电梯的建议')")
    page.click(".search-hit a")
    page.wait_for_url(f"**/suggestions/{searchable.suggestion_a.pk}/")
    assert violations == []
