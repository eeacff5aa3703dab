"""Real Chromium: searchable selects (Tom Select) with pinyin initials, the keyboard, and no JavaScript."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser_support import CHROMIUM, LAUNCH_ARGS, login, page  # noqa: F401  (``page`` is a fixture)
from tests.builders import deputies as d
from tests.liaison import reception_support

street = reception_support.street

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIT_FORM = "/stations/reception/visits/new/"


def _watch_csp(page):  # noqa: F811
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def _chosen(page):  # noqa: F811
    return page.eval_on_selector("select[name=deputies]", "s => Array.from(s.selectedOptions).map(o => o.value)")


def test_receiving_deputies_are_searchable_by_pinyin_initials_from_the_keyboard(page, street):  # noqa: F811
    tan = d.deputy("谭咏诗")
    violations = _watch_csp(page)
    login(page, "staff_a")
    page.goto(VISIT_FORM)
    wrapper = page.locator(".ts-wrapper:has(+ select[name=deputies]), select[name=deputies] + .ts-wrapper").first
    assert wrapper.count() == 1 and wrapper.is_visible()
    # The label leads to the search box: click it and type the initials.
    page.click("label[for='id_deputies-ts-control'], label:has-text('接待代表')")
    page.keyboard.type("tys")
    dropdown = page.locator(".ts-dropdown:visible .option")
    expect(dropdown).to_have_count(1)
    assert dropdown.all_inner_texts() == ["谭咏诗"]
    assert page.evaluate("document.activeElement.id") == "id_deputies-ts-control"
    # Choose with the keyboard only; the full pinyin matches too.
    for _ in "tys":
        page.keyboard.press("Backspace")
    page.keyboard.type("tanyong")
    expect(dropdown).to_have_text(["谭咏诗"])
    page.keyboard.press("Enter")
    chosen = _chosen(page)
    assert chosen == [str(tan.pk)]
    assert "谭咏诗" in page.inner_text(".ts-wrapper.multi .ts-control .item")
    # A second one (王代表), then Backspace removes the last tag.
    page.keyboard.type("wdb")
    expect(dropdown).to_have_text(["王代表"])
    page.keyboard.press("Enter")
    chosen = _chosen(page)
    assert sorted(chosen) == sorted([str(tan.pk), str(street.owner.pk)])
    page.keyboard.press("Backspace")
    chosen = _chosen(page)
    assert chosen == [str(tan.pk)]
    # Django's "---------" is nowhere: the empty choice reads 请选择.
    assert "---------" not in page.content()
    assert not violations


def test_without_javascript_the_native_multiple_select_shows_several_rows(live_server, street):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", java_script_enabled=False)
        try:
            plain = context.new_page()
            login(plain, "staff_a")
            plain.goto(VISIT_FORM)
            assert plain.locator(".ts-wrapper").count() == 0
            select = plain.locator("select[name=deputies]")
            assert select.is_visible()
            box = select.bounding_box()
            assert box["height"] > 38 * 2, box  # not clipped to one row
            select.select_option([str(street.owner.pk), str(street.colleague.pk)])
            assert plain.eval_on_selector("select[name=deputies]", "s => s.selectedOptions.length") == 2
        finally:
            context.close()
            browser.close()
