"""Real Chromium: the visit-logging page and the constituent's QR page."""

import pytest

from liaison.models import Opinion, Visit
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.liaison import reception_support

street = reception_support.street
isolated_rate_limits = reception_support.isolated_rate_limits


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_log_a_visit_with_two_opinions_without_reloading(page, street):  # noqa: F811
    login(page, "staff_a")
    page.goto("/stations/reception/visits/new/")
    page.select_option("select[name=station]", str(street.a.pk))
    page.select_option("select[name=channel]", "at_station")
    page.fill("input[name=headcount]", "3")
    page.select_option("select[name=deputies]", [str(street.owner.pk)])
    page.fill("input[name='c-0-name']", "张三")
    page.fill("input[name='c-0-phone']", "13812345678")
    page.select_option("select[name='o-0-category']", "traffic")
    page.fill("textarea[name='o-0-content']", "公交站台缺少遮雨棚")
    page.select_option("select[name='o-0-outcome']", "answered_on_site")
    # The referral field shows only for "referred".
    assert not page.is_visible("select[name='o-0-referral_unit']")
    # The second opinion comes from the keyboard shortcut, without leaving the page.
    page.keyboard.press("Alt+n")
    page.wait_for_selector("textarea[name='o-1-content']")
    assert page.input_value("#id_o-TOTAL_FORMS") == "2"
    page.select_option("select[name='o-1-category']", "environment")
    page.fill("textarea[name='o-1-content']", "河道有异味需要清理")
    page.select_option("select[name='o-1-outcome']", "referred")
    page.select_option("select[name='o-1-referral_unit']", str(street.unit.pk))
    page.evaluate("window.__stillTheSamePage = true")
    page.click("#save-visit")
    page.wait_for_selector("#saved-visits li[data-opinion-id] >> nth=1")
    assert page.evaluate("window.__stillTheSamePage") is True  # no reload happened
    assert "已保存" in page.inner_text("#visit-status")
    # The form is ready for the next visitor: one empty opinion, the header kept.
    assert page.input_value("#id_o-TOTAL_FORMS") == "1"
    assert page.input_value("textarea[name='o-0-content']") == ""
    assert page.input_value("select[name=station]") == str(street.a.pk)

    visit = Visit.objects.get()
    assert visit.headcount == 3 and visit.constituents.get().phone == "13812345678"
    assert sorted(visit.opinions.values_list("content", "outcome")) == [
        ("公交站台缺少遮雨棚", "answered_on_site"),
        ("河道有异味需要清理", "referred"),
    ]
    page.goto("/stations/reception/opinions/")
    table = page.inner_text("#opinion-table")
    assert "公交站台缺少遮雨棚" in table and "河道有异味需要清理" in table

    # A mistake is shown next to its field and nothing is saved.
    page.goto("/stations/reception/visits/new/")
    page.select_option("select[name=station]", str(street.a.pk))
    page.select_option("select[name='o-0-category']", "traffic")
    page.fill("textarea[name='o-0-content']", "没有选择转交单位")
    page.select_option("select[name='o-0-outcome']", "referred")
    page.click("#save-visit")
    page.wait_for_selector(".errorlist.rc-js")
    assert "请选择转交的社区或部门" in page.inner_text("#o-rows")
    assert Visit.objects.count() == 1 and Opinion.objects.count() == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_constituent_submits_through_the_qr_page_and_reads_the_status(page, street, isolated_rate_limits):  # noqa: F811
    page.context.clear_cookies()
    page.goto(f"/stations/public/station/{street.a.pk}/")
    assert "隐私说明" in page.inner_text("body")
    page.select_option("select[name=category]", "safety")
    page.fill("textarea[name=content]", "小区门口井盖松动")
    page.fill("input[name=contact_phone]", "13700002468")
    page.check("input[name=consent]")
    page.click("button[type=submit]")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code").strip()
    opinion = Opinion.objects.get()
    assert opinion.tracking_code == code and opinion.station == street.a and opinion.outcome is None

    page.click("a:has-text('查询进度')")
    page.fill("input[name=digits]", "0000")
    page.click("button[type=submit]")
    assert "查询码或后四位数字不正确" in page.inner_text("#status-error")
    page.fill("input[name=code]", code)
    page.fill("input[name=digits]", "2468")
    page.click("button[type=submit]")
    result = page.inner_text("#status-result")
    assert code in result and "已受理，等待处理" in result
    assert "13700002468" not in page.content() and "井盖松动" not in result
