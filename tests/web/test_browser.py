"""In real Chromium: the menu collapses on a phone and opens with its button; the language switcher works."""

import pytest

from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)


@pytest.mark.browser
def test_menu_collapses_on_a_phone_and_opens_with_the_button(page, users):  # noqa: F811
    login(page, "staff_a")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    nav = page.locator("nav.nav")
    toggle = page.get_by_role("button", name="菜单")
    assert toggle.is_visible()
    assert not nav.is_visible()
    toggle.click()
    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="联络站", exact=True).click()
    page.wait_for_url("**/stations/")
    assert page.locator("h1").inner_text() == "联络站"


@pytest.mark.browser
def test_menu_is_open_on_a_desktop_and_a_tablet(page, users):  # noqa: F811
    login(page, "admin")
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        assert page.locator("nav.nav").is_visible()
        assert not page.get_by_role("button", name="菜单").is_visible()
        # The account controls stay on one line next to the brand.
        box = page.locator(".account").bounding_box()
        assert box["height"] < 60, width


@pytest.mark.browser
def test_language_switcher_changes_the_whole_page(page, users):  # noqa: F811
    login(page, "office")
    page.goto("/deputies/")
    assert page.locator("h1").inner_text() == "代表"
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.url.endswith("/deputies/")
    assert page.locator("h1").inner_text() == "Deputies"
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "代表"
