"""Real Chromium: the office's and leader's home pages, the action pages and the menu."""

from datetime import timedelta

import pytest
from django.utils import timezone

from suggestions import services
from suggestions.models import State, Suggestion
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.builders.suggestions import drive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_csp(page):  # noqa: F811
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def _workload(world):
    today = timezone.localdate()
    waiting = drive(world, State.SUBMITTED, title="等待交办的建议")
    late = drive(world, State.IN_PROGRESS, title="已经逾期的建议")
    Suggestion.objects.filter(pk=late.pk).update(reply_due=today - timedelta(days=2))
    flagged = drive(world, State.ASSIGNED, title="重点督办的建议")
    services.suggestion_supervise(suggestion=flagged, actor=world.leader, note="请加快", key_supervision=True)
    return waiting, late, flagged


def test_office_home_counts_open_their_lists_and_the_assign_page_shows_the_text(page, world):  # noqa: F811
    waiting, late, _flagged = _workload(world)
    violations = _watch_csp(page)
    login(page, world.office.username)
    page.goto("/")
    workload = page.locator("#workload")
    assert workload.is_visible()
    assert page.locator('nav a[aria-current="page"]').count() == 1
    # The overdue count opens the overdue list.
    workload.locator('a[href="/suggestions/?overdue=true"]').click()
    page.wait_for_url("**/suggestions/?overdue=true")
    listed = page.inner_text("main")
    assert "已经逾期的建议" in listed and "等待交办的建议" not in listed
    # "Due within 7 days" is accepted by the web list too.
    page.goto("/")
    page.locator('#workload a[href="/suggestions/?due_soon=true"]').click()
    page.wait_for_url("**/suggestions/?due_soon=true")
    assert "等待交办的建议" in page.inner_text("main")  # its assignment falls due within 5 working days
    # 待交办 → the assign page shows the full text before assigning.
    page.goto("/")
    page.locator('#workload a[href="/suggestions/?state=submitted"]').click()
    page.wait_for_url("**/suggestions/?state=submitted")
    page.click("text=等待交办的建议")
    page.click("[data-action=assign]")
    page.wait_for_url(f"**/suggestions/{waiting.pk}/assign/")
    assert "老人上下楼困难" in page.inner_text("#content")
    assert page.locator("#timeline").is_visible()
    assert not violations


def test_leader_home_shows_the_year_and_key_supervision(page, world):  # noqa: F811
    _waiting, _late, flagged = _workload(world)
    login(page, world.leader.username)
    page.goto("/")
    assert page.locator("#year-figures").is_visible()
    attention = page.inner_text("#leader-attention")
    assert "重点督办的建议" in attention
    assert "已经逾期的建议" in page.inner_text("#longest-overdue")
    page.locator('#workload a[href="/suggestions/?key_supervision=true"]').click()
    page.wait_for_url("**/suggestions/?key_supervision=true")
    assert "重点督办的建议" in page.inner_text("main")


def test_cosign_page_shows_the_text_and_one_menu_item_is_active(page, world):  # noqa: F811
    draft = drive(world, State.DRAFT, title="请附议的建议")
    login(page, world.cosigner.username)
    page.goto(f"/suggestions/{draft.pk}/cosign/")
    assert "老人上下楼困难" in page.inner_text("#content")
    active = page.locator('nav a[aria-current="page"]')
    assert active.count() == 1 and active.get_attribute("href") == "/suggestions/"


def test_reception_pages_light_up_reception_only(page, world):  # noqa: F811
    login(page, world.staff_a.username)
    page.goto("/stations/reception/visits/")
    active = page.locator('nav a[aria-current="page"]')
    assert active.count() == 1 and active.get_attribute("href") == "/stations/reception/"
    page.goto("/stations/")
    active = page.locator('nav a[aria-current="page"]')
    assert active.count() == 1 and active.get_attribute("href") == "/stations/"
