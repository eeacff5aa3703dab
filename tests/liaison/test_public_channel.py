"""The public QR channel: submit → tracking code → status, rate limits, nothing personal."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.models import Opinion, OpinionPhoto
from liaison.services.opinions import opinion_resolve, opinion_set_outcome, referral_feedback_add
from liaison.services.public import public_opinion_submit
from tests.builders.files import png_upload
from tests.liaison import reception_support
from tests.liaison.reception_support import fresh_ip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_rate_limits")]
street = reception_support.street
isolated_rate_limits = reception_support.isolated_rate_limits

SUBMIT_URL = "/api/v1/public/opinions/"
PERSONAL = ["王小明", "13812345678", "5678", "路口的红绿灯坏了三天"]


def status_url(code, digits):
    return f"/api/v1/public/opinions/{code}/?phone_last4={digits}"


def submit_api(client, street, ip, **changes):
    data = {
        "station": street.a.pk,
        "category": "traffic",
        "content": "路口的红绿灯坏了三天",
        "contact_name": "王小明",
        "contact_phone": "13812345678",
    } | changes
    return client.post(SUBMIT_URL, data, content_type="application/json", REMOTE_ADDR=ip)


def test_submit_then_follow_the_status_with_the_phones_last_four(client, street):
    ip = fresh_ip()
    response = submit_api(client, street, ip)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"tracking_code"}
    code = body["tracking_code"]
    opinion = Opinion.objects.get(tracking_code=code)
    # It lands in station A's triage queue: a public opinion without an outcome yet.
    assert opinion.station == street.a and opinion.source == "public" and opinion.outcome is None

    response = client.get(status_url(code, "5678"), REMOTE_ADDR=ip)
    assert response.status_code == 200
    status = response.json()
    assert status["status"] == "received" and status["outcome"] is None and status["reply"] == ""

    opinion_set_outcome(
        opinion=opinion, outcome="referred", referral_unit=street.unit, note="已转社区处理", actor=street.staff_a
    )
    referral_feedback_add(opinion=opinion, content="社区已联系交警维修", actor=street.unit_officer)
    opinion_resolve(opinion=opinion, note="红绿灯已修复", actor=street.staff_a)
    response = client.get(status_url(code.lower(), "5678"), REMOTE_ADDR=ip)  # codes are case-insensitive
    status = response.json()
    assert status["status"] == "resolved" and status["outcome"] == "referred" and status["resolved"] is True
    assert [r["text"] for r in status["replies"]] == ["已转社区处理", "社区已联系交警维修", "红绿灯已修复"]
    assert status["reply"] == "红绿灯已修复"
    text = json.dumps(status, ensure_ascii=False)
    for personal in PERSONAL:
        assert personal not in text, personal
    assert "staff_a" not in text and "unit_officer" not in text


def test_a_wrong_last_four_or_code_is_refused_the_same_way(client, street):
    ip = fresh_ip()
    code = submit_api(client, street, ip).json()["tracking_code"]
    other = submit_api(client, street, ip, contact_phone="13900001234").json()["tracking_code"]
    for url in [
        status_url(code, "1234"),  # another opinion's digits
        status_url(other, "5678"),
        status_url("ZZZZZZZZZZ", "5678"),
        status_url(code, ""),
        status_url(code, "56789"),
        f"/api/v1/public/opinions/{code}/",
    ]:
        response = client.get(url, REMOTE_ADDR=ip)
        assert response.status_code == 404, url
        assert response.json()["detail"] == "查询码或后四位数字不正确，未找到对应的意见。"


def test_without_a_phone_a_check_number_is_issued_once(client, street):
    ip = fresh_ip()
    response = submit_api(client, street, ip, contact_name="", contact_phone="")
    body = response.json()
    assert response.status_code == 201 and len(body["check_digits"]) == 4 and body["check_digits"].isdigit()
    assert client.get(status_url(body["tracking_code"], body["check_digits"]), REMOTE_ADDR=ip).status_code == 200


def test_the_sixth_submission_from_one_address_within_a_minute_is_refused_in_chinese(client, street):
    ip = fresh_ip()
    for n in range(5):
        assert submit_api(client, street, ip, content=f"第{n}条").status_code == 201
    response = submit_api(client, street, ip, content="第6条")
    assert response.status_code == 429
    assert response.json()["detail"] == "您所在网络的提交过于频繁，请稍等一分钟后再试。"
    assert Opinion.objects.count() == 5
    # The QR page shares the limit: the same address is refused there too, with a Chinese page.
    page = client.post(
        reverse("liaison:public_station", args=[street.a.pk]),
        {"category": "traffic", "content": "x", "consent": "on"},
        REMOTE_ADDR=ip,
    )
    assert page.status_code == 429 and "请稍等一分钟后再试" in page.content.decode()
    # Another address is not affected.
    assert submit_api(client, street, fresh_ip()).status_code == 201


def test_status_lookups_are_rate_limited_too(client, street):
    ip = fresh_ip()
    code = submit_api(client, street, ip).json()["tracking_code"]
    codes = [client.get(status_url(code, f"{n:04d}"), REMOTE_ADDR=ip).status_code for n in range(10)]
    assert codes == [404] * 10
    assert client.get(status_url(code, "5678"), REMOTE_ADDR=ip).status_code == 429


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"content": "   "}, "content"),
        ({"content": "x" * 2001}, "content"),
        ({"category": "aliens"}, "category"),
        ({"station": 999999}, "station"),
        ({"station": None}, "station"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"consent": False}, "consent"),
    ],
)
def test_bad_submissions_are_refused_and_write_nothing(client, street, changes, field):
    response = submit_api(client, street, fresh_ip(), **changes)
    assert response.status_code == 400
    assert field in response.json()
    assert not Opinion.objects.exists()


def test_a_closed_station_refuses_submissions(client, street):
    from organisation.services import station_update

    station_update(station=street.b, is_active=False)
    response = submit_api(client, street, fresh_ip(), station=street.b.pk)
    assert response.status_code == 400 and response.json()["station"] == ["该二维码不属于正在开放的联络站。"]


def test_qr_page_submit_with_photo_and_status_page(client, street):
    ip = fresh_ip()
    url = reverse("liaison:public_deputy", args=[street.owner.pk])
    page = client.get(url, REMOTE_ADDR=ip)
    assert page.status_code == 200 and "隐私说明" in page.content.decode()
    # Without consent nothing is written.
    response = client.post(url, {"category": "environment", "content": "河道有异味"}, REMOTE_ADDR=ip)
    assert response.status_code == 400 and not Opinion.objects.exists()
    response = client.post(
        url,
        {
            "category": "environment",
            "content": "河道有异味",
            "contact_phone": "13700002468",
            "consent": "on",
            "photos": png_upload(),
        },
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 302 and response["Location"] == reverse("liaison:public_submitted")
    opinion = Opinion.objects.get()
    # A deputy's QR code files the opinion under the deputy's station, addressed to the deputy.
    assert opinion.deputy == street.owner and opinion.station == street.a
    assert OpinionPhoto.objects.filter(opinion=opinion).count() == 1
    done = client.get(reverse("liaison:public_submitted"), REMOTE_ADDR=ip).content.decode()
    assert opinion.tracking_code in done
    # Shown once: coming back later leads to the status form, not to the code.
    again = client.get(reverse("liaison:public_submitted"), REMOTE_ADDR=ip)
    assert again.status_code == 302 and again["Location"] == reverse("liaison:public_status")
    status = client.get(
        reverse("liaison:public_status"), {"code": opinion.tracking_code, "digits": "2468"}, REMOTE_ADDR=ip
    )
    body = status.content.decode()
    assert (
        status.status_code == 200
        and "已受理，等待处理" in body
        and "13700002468" not in body
        and "河道有异味" not in body
    )
    wrong = client.get(
        reverse("liaison:public_status"), {"code": opinion.tracking_code, "digits": "1111"}, REMOTE_ADDR=ip
    )
    assert wrong.status_code == 404 and "查询码或后四位数字不正确" in wrong.content.decode()


def test_qr_page_refuses_non_images_and_writes_nothing(client, street):
    response = client.post(
        reverse("liaison:public_station", args=[street.a.pk]),
        {
            "category": "environment",
            "content": "河道有异味",
            "consent": "on",
            "photos": SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png"),
        },
        REMOTE_ADDR=fresh_ip(),
    )
    assert response.status_code == 400 and "只能上传 JPEG、PNG、WebP 或 GIF 格式的照片" in response.content.decode()
    assert not Opinion.objects.exists() and not OpinionPhoto.objects.exists()


def test_the_public_pages_of_unknown_or_closed_targets_are_not_found(client, street):
    assert client.get(reverse("liaison:public_station", args=[999999])).status_code == 404
    # A deputy without a station has no page to file under.
    from deputies.services import deputy_create

    floating = deputy_create(name="无站代表")
    assert client.get(reverse("liaison:public_deputy", args=[floating.pk])).status_code == 404


def test_public_submissions_via_the_service_are_all_or_nothing(street):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        public_opinion_submit(
            station=street.a, category="traffic", content="ok", photos=[png_upload() for _ in range(4)]
        )
    assert not Opinion.objects.exists()
