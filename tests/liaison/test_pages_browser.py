"""Real Chromium: escalation from the visit form, and the constituent's public pages (tracking code,
copy button, SMS, status timeline, the deputy's card)."""

import pytest

from deputies.services import deputy_update
from liaison.models import Opinion, OpinionEventKind, Visit
from suggestions.models import Suggestion
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.builders.files import png_upload
from tests.liaison import reception_support

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("isolated_rate_limits"),
]
street = reception_support.street
isolated_rate_limits = reception_support.isolated_rate_limits


def _watch_csp(page):  # noqa: F811
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def _visit_header(page, street):  # noqa: F811
    page.goto("/stations/reception/visits/new/")
    page.select_option("select[name=station]", str(street.a.pk))
    page.select_option("select[name=deputies]", [str(street.owner.pk)])
    page.select_option("select[name='o-0-category']", "traffic")
    page.fill("textarea[name='o-0-content']", "学校门口缺少人行横道")


def test_escalate_from_the_visit_form(page, street):  # noqa: F811
    violations = _watch_csp(page)
    login(page, "staff_a")
    _visit_header(page, street)
    # The deputy field shows only for 形成意见建议.
    assert not page.is_visible("select[name='o-0-escalate_to']")
    page.select_option("select[name='o-0-outcome']", "escalated")
    assert page.is_visible("select[name='o-0-escalate_to']")
    # Forgetting the deputy: a Chinese error next to the field, nothing saved.
    page.click("#save-visit")
    page.wait_for_selector("text=请选择提出建议的代表。")
    assert not Visit.objects.exists() and not Suggestion.objects.exists()
    page.select_option("select[name='o-0-escalate_to']", str(street.owner.pk))
    page.click("#save-visit")
    page.wait_for_selector("#saved-visits li[data-opinion-id]")
    assert "形成意见建议" in page.inner_text("#saved-visits")
    opinion = Opinion.objects.get()
    suggestion = Suggestion.objects.get()
    assert opinion.outcome == "escalated" and suggestion.lead_deputy == street.owner
    assert list(suggestion.source_opinions.all()) == [opinion]
    assert not violations


def test_public_submit_copy_sms_and_status(page, street):  # noqa: F811
    violations = _watch_csp(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/stations/public/station/{street.a.pk}/")
    page.select_option("select[name=category]", "traffic")
    page.fill("textarea[name=content]", "路口的红绿灯坏了三天")
    page.fill("input[name=contact_phone]", "13812345678")
    page.check("input[name=consent]")
    page.click("button[type=submit]")
    page.wait_for_url("**/public/submitted/")
    code = page.inner_text("#tracking-code").strip()
    assert len(code) == 11 and code[3] == "-" and code[7] == "-"
    # The copy button (static script, no inline code) puts the code on the clipboard.
    page.click("#copy-code")
    page.wait_for_selector("#copy-code[data-done='1']")
    assert page.evaluate("navigator.clipboard.readText()") == code
    # The code by SMS, through the notification channel.
    page.click("#sms-form button")
    page.wait_for_selector("#sms-result")
    assert "查询码正在发送" in page.inner_text("#sms-result")
    opinion = Opinion.objects.get()
    assert opinion.events.filter(kind=OpinionEventKind.SMS).count() == 1
    # Typed the way an elderly constituent might: small letters, no dashes, spaces around.
    page.goto("/stations/public/status/")
    page.fill("input[name=code]", f"  {code.replace('-', '').lower()} ")
    page.fill("input[name=digits]", "5678")
    page.click("button[type=submit]")
    page.wait_for_selector("#status-timeline")
    steps = page.locator("#status-timeline li")
    assert steps.count() == 3
    assert "我们已收到您的意见" in steps.nth(0).inner_text()
    assert "等待处理" in steps.nth(1).inner_text() and "尚未解决" in steps.nth(2).inner_text()
    assert "13812345678" not in page.content()
    assert not violations


def test_deputy_public_page(page, street):  # noqa: F811
    street.a.opening_hours = "每周三 9:00-12:00"
    street.a.save(update_fields=["opening_hours"])
    deputy_update(deputy=street.owner, introduction="长期关注交通安全。", photo=png_upload(), phone="13900001111")
    page.goto(f"/stations/public/deputy/{street.owner.pk}/")
    card = page.locator("#deputy-profile")
    assert "长期关注交通安全。" in card.inner_text()
    assert street.a.name in card.inner_text() and "每周三 9:00-12:00" in card.inner_text()
    image = card.locator("img")
    image.wait_for()
    assert page.evaluate("document.querySelector('#deputy-profile img').naturalWidth") > 0
    assert "13900001111" not in page.content()  # the deputy's phone is not public
