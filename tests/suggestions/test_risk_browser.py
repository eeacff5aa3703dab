"""In real Chromium: the office opens the risk list from the menu, reads the reasons, filters by unit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from suggestions.models import State
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.builders.suggestions import drive, handled
from tests.suggestions.test_risk import past


@pytest.mark.browser
def test_the_office_reads_the_risk_list_and_filters_it(page, world):  # noqa: F811
    replied = timezone.localdate() - timedelta(days=60)
    past(world, world.lead_unit, on_time=3, late=10, replied=replied)
    past(world, world.other_unit, on_time=12, late=0, category="traffic", replied=replied)
    drive(world, State.IN_PROGRESS, title="常逾期单位的城建建议")  # co-unit opinion not given
    handled(world, unit=world.other_unit, officer=world.other_officer, reply=False, title="守时单位的交通建议")

    login(page, "office")
    page.get_by_role("navigation").get_by_role("link", name="风险清单").first.click()
    page.get_by_role("heading", name="风险清单").wait_for()
    rows = page.locator("[data-risk-row]")
    assert rows.count() == 2
    first = rows.nth(0)
    assert "常逾期单位的城建建议" in first.inner_text()
    reasons = first.locator("[data-reasons]").inner_text()
    assert "主办单位近一年同类建议按期率 23%" in reasons
    assert "协办意见未到" in reasons
    assert "距答复期限" in reasons and "个工作日" in reasons
    assert "守时单位的交通建议" in rows.nth(1).inner_text()

    # Only the punctual unit's suggestions.
    page.select_option("select[name=unit]", str(world.other_unit.pk))
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"**/suggestions/risk/?*unit={world.other_unit.pk}*")
    assert page.locator("[data-risk-row]").count() == 1
    assert "守时单位的交通建议" in page.locator("[data-risk-row]").inner_text()

    # The title opens the suggestion.
    page.get_by_role("link", name="守时单位的交通建议").click()
    page.get_by_role("heading", name="守时单位的交通建议").wait_for()
