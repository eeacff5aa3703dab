"""The public pages: a tracking code easy to read aloud and type, the code by SMS, the status timeline
in plain words, and a deputy's public page."""

import logging
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import ActionRefused
from deputies.services import deputy_update
from liaison.models import Opinion, OpinionEvent, OpinionEventKind
from liaison.services.opinions import opinion_resolve, opinion_set_outcome, referral_feedback_add
from liaison.services.public import (
    SMS_PER_OPINION,
    normalise_code,
    public_opinion_lookup,
    public_opinion_submit,
    public_tracking_sms_request,
)
from liaison.services.reception import reception_day_add, roster_set
from tests.builders.files import png_upload
from tests.liaison import reception_support
from tests.liaison.reception_support import fresh_ip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_rate_limits")]
street = reception_support.street
isolated_rate_limits = reception_support.isolated_rate_limits

GROUP = "[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{3}"
CODE = re.compile(f"^{GROUP}-{GROUP}-{GROUP}$")


def submit(street, phone="13812345678"):
    return public_opinion_submit(station=street.a, category="traffic", content="路口的红绿灯坏了", contact_phone=phone)


def test_codes_are_three_groups_of_three_without_ambiguous_characters(street):
    codes = {submit(street).tracking_code for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert CODE.match(code), code
        assert not set(code) & set("0O1IL")


@pytest.mark.parametrize(
    "typed",
    ["{code}", "{plain}", "{lower}", "  {code}  ", "{spaced}", "{fullwidth}", "{lower_plain}"],
)
def test_the_code_is_accepted_however_it_is_typed(street, typed):
    code = submit(street).tracking_code
    plain = code.replace("-", "")
    variants = {
        "code": code,
        "plain": plain,
        "lower": code.lower(),
        "spaced": " ".join(code.split("-")),
        # A Chinese keyboard in full-width mode types ｋ７ｍ－４ｑｘ.
        "fullwidth": "".join(chr(ord(ch) + 0xFEE0) for ch in code.lower()),
        "lower_plain": plain.lower(),
    }
    assert normalise_code(typed.format(**variants)) == code
    assert public_opinion_lookup(tracking_code=typed.format(**variants), check_digits="5678") is not None


def test_codes_issued_before_keep_working(street):
    opinion = Opinion.objects.get(tracking_code=submit(street).tracking_code)
    Opinion.objects.filter(pk=opinion.pk).update(tracking_code="E2YNCYSZMW")
    for typed in ("E2YNCYSZMW", "e2yncyszmw", " E2Y-NCY-SZMW "):
        assert public_opinion_lookup(tracking_code=typed, check_digits="5678") == opinion
    assert public_opinion_lookup(tracking_code="E2YNCYSZM", check_digits="5678") is None


def test_status_page_accepts_a_lower_case_code_without_dashes(client, street):
    code = submit(street).tracking_code
    response = client.get(
        reverse("liaison:public_status"),
        {"code": f" {code.replace('-', '').lower()} ", "digits": "5678"},
        REMOTE_ADDR=fresh_ip(),
    )
    assert response.status_code == 200 and code in response.content.decode()


def _steps(client, code, digits="5678"):
    response = client.get(reverse("liaison:public_status"), {"code": code, "digits": digits}, REMOTE_ADDR=fresh_ip())
    assert response.status_code == 200
    return response.context["result"]["timeline"], response.content.decode()


def test_the_status_timeline_in_plain_words(client, street):
    code = submit(street).tracking_code
    opinion = Opinion.objects.get(tracking_code=code)
    steps, page = _steps(client, code)
    assert [(s["step"], s["done"]) for s in steps] == [("received", True), ("handled", False), ("resolved", False)]
    assert "我们已收到您的意见" in page and "等待处理" in page and "尚未解决" in page
    opinion_set_outcome(opinion=opinion, outcome="referred", referral_unit=street.unit, actor=street.staff_a)
    referral_feedback_add(opinion=opinion, content="已安排维修", actor=street.unit_officer)
    opinion_resolve(opinion=opinion, note="红绿灯已修复", actor=street.staff_a)
    steps, page = _steps(client, code)
    assert [(s["step"], s["done"]) for s in steps] == [
        ("received", True),
        ("handled", True),
        ("reply", True),
        ("resolved", True),
    ]
    assert f"已转交{street.unit.name}办理" in page and "已安排维修" in page and "红绿灯已修复" in page
    # Nothing personal: no name, phone, content or staff member.
    for secret in ("13812345678", "路口的红绿灯坏了", street.staff_a.username, street.unit_officer.username):
        assert secret not in page


def test_sms_button_sends_the_code_once_and_logs_it(client, street, caplog, django_capture_on_commit_callbacks):
    ip = fresh_ip()
    url = reverse("liaison:public_station", args=[street.a.pk])
    data = {"category": "traffic", "content": "路口的红绿灯坏了", "contact_phone": "13812345678", "consent": "on"}
    assert client.post(url, data, REMOTE_ADDR=ip).status_code == 302
    opinion = Opinion.objects.get()
    page = client.get(reverse("liaison:public_submitted"), REMOTE_ADDR=ip).content.decode()
    assert 'id="sms-form"' in page and 'id="copy-code"' in page and "<script>" not in page
    with (
        caplog.at_level(logging.INFO, logger="notifications.channels"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("liaison:public_sms"), REMOTE_ADDR=ip)
    assert response.status_code == 200 and "短信" in response.content.decode()
    sent = [r.getMessage() for r in caplog.records if r.name == "notifications.channels"]
    assert len(sent) == 1 and opinion.tracking_code in sent[0] and "138****5678" in sent[0]
    assert "13812345678" not in sent[0]
    event = OpinionEvent.objects.get(opinion=opinion, kind=OpinionEventKind.SMS)
    assert "138****5678" in event.note and "13812345678" not in event.note
    assert event.sent_at is not None  # claimed by the task that sent it
    # The task run again (a message redelivered after its worker died) sends nothing more.
    from liaison.tasks import send_tracking_sms

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="notifications.channels"):
        assert send_tracking_sms.apply(args=(opinion.pk, event.pk)).get() is False
    assert [r for r in caplog.records if r.name == "notifications.channels"] == []
    # One use per submission: the page does not send it again.
    again = client.post(reverse("liaison:public_sms"), REMOTE_ADDR=ip)
    assert again.status_code == 409
    assert OpinionEvent.objects.filter(kind=OpinionEventKind.SMS).count() == 1


def test_no_sms_without_a_phone(client, street):
    ip = fresh_ip()
    url = reverse("liaison:public_station", args=[street.a.pk])
    client.post(url, {"category": "traffic", "content": "路灯不亮", "consent": "on"}, REMOTE_ADDR=ip)
    page = client.get(reverse("liaison:public_submitted"), REMOTE_ADDR=ip).content.decode()
    assert 'id="sms-form"' not in page and 'id="check-digits"' in page
    assert client.post(reverse("liaison:public_sms"), REMOTE_ADDR=ip).status_code == 409
    opinion = Opinion.objects.get()
    with pytest.raises(ActionRefused):
        public_tracking_sms_request(opinion_id=opinion.pk)
    assert not OpinionEvent.objects.filter(kind=OpinionEventKind.SMS).exists()


def test_sms_is_capped_per_opinion_and_rate_limited_per_address(client, street):
    opinion = Opinion.objects.get(tracking_code=submit(street).tracking_code)
    for _ in range(SMS_PER_OPINION):
        public_tracking_sms_request(opinion_id=opinion.pk)
    with pytest.raises(ActionRefused):
        public_tracking_sms_request(opinion_id=opinion.pk)
    assert OpinionEvent.objects.filter(opinion=opinion, kind=OpinionEventKind.SMS).count() == SMS_PER_OPINION
    ip = fresh_ip()
    url = reverse("liaison:public_station", args=[street.a.pk])
    statuses = []
    for i in range(4):
        data = {"category": "traffic", "content": f"意见{i}", "contact_phone": "13812345678", "consent": "on"}
        client.post(url, data, REMOTE_ADDR=ip)
        client.get(reverse("liaison:public_submitted"), REMOTE_ADDR=ip)
        statuses.append(client.post(reverse("liaison:public_sms"), REMOTE_ADDR=ip).status_code)
    assert statuses == [200, 200, 200, 429]


def test_deputy_public_page_shows_photo_introduction_stations_and_hours(client, street):
    street.a.opening_hours = "周一至周五 9:00-17:00"
    street.a.save(update_fields=["opening_hours"])
    deputy_update(deputy=street.owner, introduction="关注老旧小区改造和交通出行。", photo=png_upload())
    day = reception_day_add(station=street.a, date=timezone.localdate() + timedelta(days=3), actor=street.staff_a)
    roster_set(day=day, deputies=[street.owner], groups=[], actor=street.staff_a)
    page = client.get(reverse("liaison:public_deputy", args=[street.owner.pk]), REMOTE_ADDR=fresh_ip())
    body = page.content.decode()
    assert page.status_code == 200
    photo_url = reverse("liaison:public_deputy_photo", args=[street.owner.pk])
    assert f'src="{photo_url}"' in body
    assert "关注老旧小区改造和交通出行。" in body
    assert street.a.name in body and street.a.address in body and "周一至周五 9:00-17:00" in body
    assert day.date.strftime("%Y-%m-%d") in body
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] in ("image/png", "image/jpeg")
    deputy_update(deputy=street.owner, is_active=False)
    assert client.get(photo_url).status_code == 404
    # A deputy without a photo has no picture, and no photo address answers.
    assert client.get(reverse("liaison:public_deputy_photo", args=[street.colleague.pk])).status_code == 404


def test_a_deputy_photo_must_be_an_image(street):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as refused:
        deputy_update(deputy=street.owner, photo=SimpleUploadedFile("me.png", b"MZ not an image"))
    assert "photo" in refused.value.message_dict
    street.owner.refresh_from_db()
    assert not street.owner.photo
