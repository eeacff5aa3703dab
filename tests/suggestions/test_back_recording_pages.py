"""补录 in the pages: the date field for the office and station staff, refused to everyone else, and the
timeline's mark; and one run in real Chromium."""

from datetime import date

import pytest
from django.utils import timezone

from suggestions import services
from suggestions.models import State, Suggestion
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.builders.suggestions import drive

TODAY = date(2026, 12, 7)
TITLE = "关于完善社区养老驿站服务的建议"


def _past(world, happened_on=date(2023, 9, 28)):
    return services.suggestion_create(
        actor=world.office,
        lead_deputy=world.lead_deputy,
        title=TITLE,
        content="建议延长养老驿站的开放时间。",
        happened_on=happened_on,
    )


@pytest.mark.django_db
def test_the_office_records_an_assignment_afterwards_in_the_page(client, world, frozen_today):
    frozen_today(TODAY)
    suggestion = _past(world)
    client.force_login(world.office)
    detail = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert 'id="back-record-actions"' in detail
    assert f"/suggestions/{suggestion.pk}/assign/?back=1" in detail
    url = f"/suggestions/{suggestion.pk}/assign/"
    form = client.get(url, {"back": "1"}).content.decode()
    assert 'name="happened_on"' in form
    # A date after today is a form error in Chinese, and nothing changes.
    response = client.post(url, {"back": "1", "lead_unit": world.lead_unit.pk, "happened_on": "2026-12-08"})
    assert response.status_code == 400
    assert "日期不能晚于今天" in response.content.decode()
    assert Suggestion.objects.get(pk=suggestion.pk).state == State.SUBMITTED
    response = client.post(url, {"back": "1", "lead_unit": world.lead_unit.pk, "happened_on": "2023-10-09"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.assigned_on == date(2023, 10, 9)
    page_text = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert "data-back-recorded" in page_text
    assert "补录" in page_text


@pytest.mark.django_db
def test_the_date_field_is_not_offered_to_a_deputy_and_back_record_pages_refuse_them(client, world, frozen_today):
    frozen_today(TODAY)
    suggestion = drive(world, State.REPLIED)
    client.force_login(world.deputy)
    detail = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert 'id="back-record-actions"' not in detail
    url = f"/suggestions/{suggestion.pk}/evaluate/"
    assert 'name="happened_on"' not in client.get(url).content.decode()
    assert client.get(url, {"back": "1"}).status_code == 403
    response = client.post(url, {"back": "1", "rating": "satisfied", "happened_on": "2026-12-01"})
    assert response.status_code == 403
    assert Suggestion.objects.get(pk=suggestion.pk).state == State.REPLIED


@pytest.mark.browser
def test_back_recording_a_reply_in_the_browser(page, world):  # noqa: F811
    suggestion = _past(world)
    services.suggestion_assign(
        suggestion=suggestion, actor=world.office, lead_unit=world.lead_unit, happened_on=date(2023, 10, 9)
    )
    services.suggestion_acknowledge(suggestion=suggestion, actor=world.office, happened_on=date(2023, 10, 10))
    login(page, "office")
    page.goto(f"/suggestions/{suggestion.pk}/")
    page.locator("#back-record-actions").get_by_role("link", name="答复").click()
    page.fill("input[name=happened_on]", "2024-01-08")
    page.get_by_label("A类：已解决或基本解决").check()
    page.fill("textarea[name=content]", "已延长驿站开放时间至晚八点。")
    page.get_by_role("button", name="提交答复").click()
    page.locator("#timeline li[data-action=reply]").wait_for()
    reply = Suggestion.objects.get(pk=suggestion.pk).replies.get()
    assert reply.replied_on == date(2024, 1, 8)
    assert reply.on_time
    item = page.locator("#timeline li[data-action=reply]")
    assert item.get_attribute("data-back-recorded") is not None
    assert "补录" in item.inner_text()
    assert "2024-01-08" in item.inner_text()


@pytest.mark.django_db
def test_a_past_suggestion_is_recorded_from_its_page(client, world, frozen_today):
    frozen_today(TODAY)
    url = "/suggestions/record-past/"
    client.force_login(world.deputy)
    assert client.get(url).status_code == 403
    # Staff of another station cannot choose this deputy.
    client.force_login(world.staff_b)
    body = {
        "lead_deputy": world.lead_deputy.pk,
        "happened_on": "2023-09-28",
        "title": TITLE,
        "category": "other",
        "content": "建议延长养老驿站的开放时间。",
        "cosigners": [world.cosigner_deputy.pk],
    }
    assert client.post(url, body).status_code == 400
    client.force_login(world.staff_a)
    assert 'name="happened_on"' in client.get(url).content.decode()
    response = client.post(url, body)
    assert response.status_code == 302, response.content.decode()[:2000]
    suggestion = Suggestion.objects.get(title=TITLE)
    assert suggestion.state == State.SUBMITTED
    assert suggestion.assign_due == date(2023, 10, 11)
    assert suggestion.cosignatures.get().status == "confirmed"
    # A future date is a form error and records nothing.
    client.post(url, body | {"title": "另一件", "happened_on": "2026-12-08"})
    assert not Suggestion.objects.filter(title="另一件").exists()


def _assigned_past(world):
    suggestion = _past(world, date(2023, 9, 20))
    services.suggestion_assign(
        suggestion=suggestion,
        actor=world.office,
        lead_unit=world.lead_unit,
        co_units=[world.co_unit],
        happened_on=date(2023, 9, 25),
    )
    return suggestion


@pytest.mark.django_db
def test_a_units_steps_are_recorded_afterwards_in_the_page_for_the_unit_chosen(client, world, frozen_today):
    frozen_today(TODAY)
    suggestion = _assigned_past(world)
    client.force_login(world.office)
    detail = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert f"/suggestions/{suggestion.pk}/co_unit_opinion/?back=1" in detail
    assert f"/suggestions/{suggestion.pk}/request_return/?back=1" in detail
    url = f"/suggestions/{suggestion.pk}/request_return/"
    form = client.get(url, {"back": "1"}).content.decode()
    assert 'name="unit"' in form and 'name="happened_on"' in form
    # Without the unit (two are assigned) it is a form error and nothing is written.
    response = client.post(url, {"back": "1", "reason": "属市级事权", "happened_on": "2023-10-10"})
    assert response.status_code == 400
    assert not suggestion.return_requests.exists()
    response = client.post(
        url, {"back": "1", "reason": "属市级事权", "unit": world.lead_unit.pk, "happened_on": "2023-10-10"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request = suggestion.return_requests.get()
    assert request.assignment.unit == world.lead_unit
    assert timezone.localdate(request.requested_at) == date(2023, 10, 10)
    # The one co-unit is chosen in advance on the opinion's form.
    url = f"/suggestions/{suggestion.pk}/co_unit_opinion/"
    form = client.get(url, {"back": "1"}).content.decode()
    assert f'value="{world.co_unit.pk}" selected' in form
    response = client.post(
        url, {"back": "1", "content": "同意。", "unit": world.co_unit.pk, "happened_on": "2023-10-30"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    opinion = suggestion.co_unit_opinions.get()
    assert timezone.localdate(opinion.submitted_at) == date(2023, 10, 30)
    page_text = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert 'data-action="co_unit_opinion" data-back-recorded' in page_text


@pytest.mark.django_db
def test_the_offices_decision_on_a_return_request_is_recorded_afterwards_in_the_page(client, world, frozen_today):
    frozen_today(TODAY)
    suggestion = _assigned_past(world)
    request = services.suggestion_request_return(
        suggestion=suggestion,
        actor=world.office,
        reason="属市级事权",
        unit=world.lead_unit,
        happened_on=date(2023, 9, 26),
    )
    client.force_login(world.staff_a)
    detail = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    link = f"/suggestions/{suggestion.pk}/decide_return/?back=1&amp;item={request.pk}"
    assert link in detail
    url = f"/suggestions/{suggestion.pk}/decide_return/"
    assert 'name="happened_on"' in client.get(url, {"back": "1", "item": request.pk}).content.decode()
    body = {"back": "1", "item": request.pk, "accept": "1", "note": "收回", "happened_on": "2023-09-25"}
    # Before the request: a form error, nothing decided.
    assert client.post(url, body).status_code == 400
    request.refresh_from_db()
    assert request.status == "pending"
    response = client.post(url, body | {"happened_on": "2023-09-28"})
    assert response.status_code == 302, response.content.decode()[:2000]
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUBMITTED
    # Five working days from 09-28 across National Day (10-07 and 10-08 are make-up working days).
    assert suggestion.assign_due == date(2023, 10, 11)
    assert "2023-10-11" in client.get(f"/suggestions/{suggestion.pk}/").content.decode()


@pytest.mark.django_db
def test_a_co_signers_answer_is_recorded_afterwards_in_the_page(client, world, frozen_today):
    frozen_today(TODAY)
    suggestion = services.suggestion_create(
        actor=world.office,
        lead_deputy=world.lead_deputy,
        title=TITLE,
        content="建议延长养老驿站的开放时间。",
        cosigners=[world.cosigner_deputy],
        happened_on=date(2023, 9, 28),
    )
    services.suggestion_return(
        suggestion=suggestion, actor=world.office, reason="属个人诉求", happened_on=date(2023, 10, 9)
    )
    client.force_login(world.office)
    url = f"/suggestions/{suggestion.pk}/cosign/"
    form = client.get(url, {"back": "1"}).content.decode()
    assert 'name="deputy"' in form
    response = client.post(
        url, {"back": "1", "deputy": world.cosigner_deputy.pk, "accept": "0", "happened_on": "2023-10-10"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    signature = suggestion.cosignatures.get()
    assert signature.status == "declined"
    assert timezone.localdate(signature.responded_at) == date(2023, 10, 10)
