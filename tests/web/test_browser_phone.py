"""In real Chromium at 390 × 844: every page a deputy uses on a grid patrol, and the staff's visit form,
works on a phone — no sideways scroll, 44 px touch targets, tables as cards, no text squeezed to one
character per line. Each page is photographed at phone size (the screenshots land in the test's
temporary folder; a failure names the page and what is wrong)."""

import pytest
from django.core.management import call_command

from accounts.models import User
from suggestions.selectors import suggestions_visible_to
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.web.phone_checks import PHONE, phone_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORDS = {"demo_deputy": "Wangge-Siyi-Lvzhi", "demo_staff": "Jiedai-Xuanmin-15th"}


def _visit(page, path, shots, name):  # noqa: F811
    page.goto(path)
    page.wait_for_load_state("load")
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    return [f"{name} ({path}): {problem}" for problem in phone_problems(page)]


def test_a_deputys_pages_and_the_visit_form_work_on_a_phone(page, tmp_path):  # noqa: F811
    call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
    deputy_user = User.objects.get(username="demo_deputy")
    deputy_id = deputy_user.deputy_id
    suggestion = suggestions_visible_to(deputy_user).filter(lead_deputy_id=deputy_id).order_by("id").first()
    page.set_viewport_size(PHONE)
    problems = []

    login(page, "demo_deputy", DEMO_PASSWORDS["demo_deputy"])
    deputy_pages = {
        "deputy-home": "/",
        "deputy-suggestions": "/suggestions/",
        "deputy-suggestion-detail": f"/suggestions/{suggestion.id}/",
        "deputy-drafting": "/suggestions/new/",
        "deputy-duties": f"/stations/reception/duties/deputy/{deputy_id}/",
        "deputy-voter-contacts": f"/stations/reception/contacts/deputy/{deputy_id}/",
        "deputy-reception-days": "/stations/reception/my-days/",
        "deputy-notifications": "/notifications/",
        "deputy-performance-file": "/reports/my-file/",
    }
    for name, path in deputy_pages.items():
        problems += _visit(page, path, tmp_path, name)
    # The suggestion list is a table on a desktop and cards on the phone: the title opens the record.
    page.goto("/suggestions/")
    first = page.locator("main table.table-cards tbody tr").first
    assert first.locator("td[data-label='标题']").count() == 1
    assert page.locator("main table.table-cards thead").bounding_box()["height"] <= 1  # read by screen readers only

    login(page, "demo_staff", DEMO_PASSWORDS["demo_staff"])
    problems += _visit(page, "/stations/reception/visits/new/", tmp_path, "staff-visit-form")
    problems += _visit(page, "/stations/reception/visits/", tmp_path, "staff-visit-list")

    assert not problems, "\n".join(problems)
    assert len(list(tmp_path.glob("*.png"))) == len(deputy_pages) + 2


def test_the_checks_do_find_a_page_that_does_not_fit(page):  # noqa: F811
    """The measurements above can fail: a wide page with a tiny button and a squeezed table is caught."""
    page.set_viewport_size(PHONE)
    page.set_content(
        """<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width"></head><body><main>
        <div style="width:900px">wide</div>
        <button style="height:20px">x</button>
        <table class="table"><thead><tr><th>a</th><th>b</th></tr></thead>
        <tbody><tr><td style="width:10px;word-break:break-all">一二三四五六七八</td><td>b</td></tr></tbody></table>
        <p>A <a href="#">link in a sentence</a> is not a touch target of its own.</p>
        </main></body></html>"""
    )
    problems = phone_problems(page)
    assert "scrolls sideways: 908 > 390 px" in problems[0]
    assert [p for p in problems if p.startswith("touch target")] == ['touch target under 44 px: button "x" 24×20']
    assert any(p.startswith("text one character per line: td") for p in problems)
    assert "table not shown as cards: table without cards" in problems
