from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from duties.services.grid_duties import activity_create, grid_duty_record
from liaison.models import Opinion, OpinionPhoto, ReceptionDay, ReceptionRule, Visit
from liaison.services.opinions import opinion_create, opinion_set_outcome
from liaison.services.reception import reception_day_add, roster_set, visit_record
from liaison.services.rules import reception_rule_create
from liaison.views.qr import qr_image_bytes
from tests.builders.files import png_upload
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street


@pytest.fixture
def seeded(street):
    today = timezone.localdate()
    reception_rule_create(
        station=street.a, kind="monthly", day_of_month=15, valid_from=today.replace(day=1), actor=street.staff_a
    )
    day = reception_day_add(station=street.a, date=today, actor=street.staff_a)
    visit = visit_record(
        actor=street.staff_a,
        station=street.a,
        date=today,
        channel="at_station",
        headcount=2,
        deputies=[street.owner],
        constituents=[{"name": "张三丰", "phone": "13812345678"}],
        opinions=[
            {"category": "traffic", "content": "路口缺少红绿灯", "photos": [png_upload()]},
            {"category": "property", "content": "电梯故障", "outcome": "referred", "referral_unit": street.unit},
        ],
    )
    grid_duty_record(deputy=street.owner, grid=street.grid_a1, kind="patrol", date=today, actor=street.owner_user)
    activity = activity_create(
        station=street.a,
        kind="inspection",
        title="视察老旧小区改造",
        date=today,
        actor=street.staff_a,
        attendance={street.owner: "present", street.colleague: "excused"},
    )
    return {"day": day, "visit": visit, "activity": activity}


def pages(seeded, street):
    visit = seeded["visit"]
    opinion = visit.opinions.order_by("id").first()
    return [
        reverse("liaison:reception_calendar"),
        reverse("liaison:reception_rules"),
        reverse("liaison:reception_day", args=[seeded["day"].pk]),
        reverse("liaison:visit_list"),
        reverse("liaison:visit_new"),
        reverse("liaison:visit_detail", args=[visit.pk]),
        reverse("liaison:opinion_list"),
        reverse("liaison:opinion_detail", args=[opinion.pk]),
        reverse("liaison:duty_overview"),
        reverse("liaison:duty_deputy", args=[street.owner.pk]),
        reverse("liaison:duty_grid", args=[street.grid_a1.pk]),
        reverse("liaison:activity_list"),
        reverse("liaison:activity_detail", args=[seeded["activity"].pk]),
        reverse("liaison:reception_dashboard"),
        reverse("liaison:qr_sheet"),
    ]


def test_every_reception_page_renders_for_station_staff_and_office(client, street, seeded):
    for user in (street.staff_a, street.office):
        client.force_login(user)
        for url in pages(seeded, street):
            response = client.get(url)
            assert response.status_code == 200, (user.username, url, response.status_code)
    client.force_login(street.office)
    assert client.get(reverse("liaison:privacy_audit")).status_code == 200


def test_pages_in_another_station_are_not_found_for_other_staff(client, street, seeded):
    client.force_login(street.staff_b)
    visit = seeded["visit"]
    for url in [
        reverse("liaison:reception_day", args=[seeded["day"].pk]),
        reverse("liaison:visit_detail", args=[visit.pk]),
        reverse("liaison:opinion_detail", args=[visit.opinions.first().pk]),
        reverse("liaison:activity_detail", args=[seeded["activity"].pk]),
        reverse("liaison:duty_grid", args=[street.grid_a1.pk]),
        reverse("liaison:qr_station", args=[street.a.pk, "png"]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("liaison:privacy_audit")).status_code == 403


def test_deputy_pages(client, street, seeded):
    client.force_login(street.owner_user)
    assert client.get(reverse("liaison:my_reception_days")).status_code == 200
    assert client.get(reverse("liaison:visit_new")).status_code == 200
    assert client.get(reverse("liaison:duty_overview")).status_code == 302
    assert client.get(reverse("liaison:duty_deputy", args=[street.owner.pk])).status_code == 200
    # Another deputy's duty page is not theirs to see.
    assert client.get(reverse("liaison:duty_deputy", args=[street.outsider.pk])).status_code == 404
    assert client.get(reverse("liaison:reception_calendar")).status_code == 403


def test_the_chinese_interface_by_default(client, street, seeded):
    client.force_login(street.staff_a)
    body = client.get(reverse("liaison:visit_new")).content.decode()
    assert "记录接待" in body and "添加一条意见" in body


def test_rule_form_creates_days_and_shows_errors_in_chinese(client, street):
    client.force_login(street.staff_a)
    url = reverse("liaison:reception_rules")
    response = client.post(
        url, {"station": street.a.pk, "kind": "monthly", "day_of_month": "", "valid_from": "2024-01-01"}
    )
    assert response.status_code == 200 and "请选择每月的日期" in response.content.decode()
    assert not ReceptionRule.objects.exists()
    response = client.post(
        url,
        {
            "station": street.a.pk,
            "kind": "weekly",
            "weekday": "4",
            "valid_from": "2024-01-01",
            "valid_to": "2024-01-31",
        },
    )
    assert response.status_code == 302
    assert list(ReceptionDay.objects.values_list("date", flat=True).order_by("date")) == [
        date(2024, 1, 5),
        date(2024, 1, 12),
        date(2024, 1, 19),
        date(2024, 1, 26),
    ]
    # Staff of another station cannot put a rule on station A (not among their choices).
    client.force_login(street.staff_b)
    response = client.post(url, {"station": street.a.pk, "kind": "weekly", "weekday": "1", "valid_from": "2024-01-01"})
    assert response.status_code == 200 and ReceptionRule.objects.count() == 1


def _visit_post(street, **extra):
    today = timezone.localdate().isoformat()
    data = {
        "station": street.a.pk,
        "date": today,
        "channel": "at_station",
        "headcount": "3",
        "deputies": [street.owner.pk],
        "grid": "",
        "note": "",
        "c-TOTAL_FORMS": "1",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "50",
        "c-0-name": "李四",
        "c-0-phone": "13900001111",
        "o-TOTAL_FORMS": "2",
        "o-INITIAL_FORMS": "0",
        "o-MIN_NUM_FORMS": "0",
        "o-MAX_NUM_FORMS": "50",
        "o-0-category": "traffic",
        "o-0-content": "公交站台缺少遮雨棚",
        "o-0-outcome": "answered_on_site",
        "o-0-outcome_note": "已向群众解释改造计划",
        "o-1-category": "environment",
        "o-1-content": "河道有异味",
        "o-1-outcome": "referred",
        "o-1-referral_unit": street.unit.pk,
    }
    data.update(extra)
    return data


def test_visit_page_saves_a_visit_with_opinions_as_json(client, street):
    client.force_login(street.staff_a)
    response = client.post(
        reverse("liaison:visit_new"),
        _visit_post(street, **{"o-0-photos": png_upload()}),
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 201, response.content
    body = response.json()["visit"]
    assert body["headcount"] == 3 and len(body["opinions"]) == 2
    visit = Visit.objects.get()
    assert list(visit.opinions.order_by("id").values_list("outcome", flat=True)) == ["answered_on_site", "referred"]
    assert OpinionPhoto.objects.count() == 1
    assert visit.constituents.get().phone == "13900001111"


def test_visit_page_reports_errors_by_field_and_writes_nothing(client, street):
    client.force_login(street.staff_a)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = [
        ({"date": "2024-02-30"}, "date"),
        ({"date": tomorrow}, "date"),
        ({"o-1-content": ""}, "o-1-content"),
        ({"o-1-referral_unit": ""}, "o-1-referral_unit"),
        ({"station": "999999"}, "station"),
        ({"c-0-phone": "abc"}, "c-0-phone"),
        ({"headcount": "0"}, "headcount"),
        ({"o-0-photos": SimpleUploadedFile("x.png", b"MZ not an image")}, "o-0-photos"),
    ]
    for changes, field in cases:
        response = client.post(
            reverse("liaison:visit_new"), _visit_post(street, **changes), HTTP_X_REQUESTED_WITH="fetch"
        )
        assert response.status_code == 400, (changes, response.content)
        errors = response.json()["errors"]
        assert field in errors, (changes, errors)
        assert all(isinstance(m, str) and m for m in errors[field])
    assert not Visit.objects.exists() and not Opinion.objects.exists()


def test_visit_page_without_javascript_redirects_to_the_visit(client, street):
    client.force_login(street.staff_a)
    response = client.post(reverse("liaison:visit_new"), _visit_post(street))
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("liaison:visit_detail", args=[visit.pk])


def test_a_leader_cannot_log_visits_and_staff_b_cannot_log_at_station_a(client, street):
    client.force_login(street.leader)
    assert client.post(reverse("liaison:visit_new"), _visit_post(street)).status_code == 403
    client.force_login(street.staff_b)
    response = client.post(reverse("liaison:visit_new"), _visit_post(street), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400 and "station" in response.json()["errors"]
    assert not Visit.objects.exists()


def test_opinion_detail_actions(client, street):
    opinion = opinion_create(actor=street.staff_a, station=street.a, data={"category": "safety", "content": "路灯不亮"})
    url = reverse("liaison:opinion_detail", args=[opinion.pk])
    client.force_login(street.staff_a)
    response = client.post(url, {"action": "outcome", "outcome": "referred", "referral_unit": "", "note": ""})
    assert response.status_code == 200 and "请选择转交的社区或部门" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.outcome is None
    client.post(url, {"action": "outcome", "outcome": "referred", "referral_unit": street.unit.pk, "note": "转社区"})
    client.force_login(street.unit_officer)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "feedback", "content": "已更换灯泡"})
    client.post(url, {"action": "resolve", "note": "路灯已修复"})
    opinion.refresh_from_db()
    assert opinion.outcome == "referred" and opinion.resolved_at is not None
    assert list(opinion.events.values_list("kind", flat=True)) == ["received", "outcome", "feedback", "resolved"]
    # A second outcome is refused with a message and changes nothing.
    client.force_login(street.staff_a)
    response = client.post(url, {"action": "outcome", "outcome": "filed", "note": ""}, follow=True)
    assert "该意见已有处理结果" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.outcome == "referred"


def test_opinion_photo_is_served_only_to_those_who_see_the_opinion(client, street, seeded):
    opinion = seeded["visit"].opinions.order_by("id").first()
    photo = opinion.photos.get()
    url = reverse("liaison:opinion_photo", args=[opinion.pk, photo.pk])
    client.force_login(street.staff_a)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    client.force_login(street.staff_b)
    assert client.get(url).status_code == 404


def test_opinion_list_filters(client, street, seeded):
    opinion_set_outcome(opinion=seeded["visit"].opinions.order_by("id").first(), outcome="filed", actor=street.staff_a)
    client.force_login(street.staff_a)
    url = reverse("liaison:opinion_list")

    def listed(**params):
        return {o.content for o in client.get(url, params).context["page_obj"]}

    assert listed() == {"路口缺少红绿灯", "电梯故障"}
    assert listed(outcome="filed") == {"路口缺少红绿灯"}
    assert listed(outcome="referred") == {"电梯故障"}
    assert listed(category="property") == {"电梯故障"}
    assert listed(q="红绿灯") == {"路口缺少红绿灯"}
    assert listed(resolved="true") == set()
    assert listed(date_from="2000-01-01", date_to="2000-12-31") == set()
    assert listed(station=street.a.pk) == {"路口缺少红绿灯", "电梯故障"}
    # A malformed filter shows the error instead of everything.
    response = client.get(url, {"date_from": "not-a-date"})
    assert response.status_code == 200 and not response.context["page_obj"].object_list


def test_duty_and_activity_forms(client, street):
    client.force_login(street.owner_user)
    today = timezone.localdate()
    url = reverse("liaison:duty_deputy", args=[street.owner.pk])
    response = client.post(
        url, {"deputy": street.owner.pk, "grid": street.grid_a1.pk, "kind": "grid_meeting", "date": today}
    )
    assert response.status_code == 302
    response = client.get(url)
    duties = {d["kind"]: d["met"] for d in response.context["duties"]}
    assert duties == {"patrol": False, "grid_meeting": True, "research": False, "report": False}
    # Not in a grid the deputy is not assigned to, and not in the future.
    response = client.post(url, {"deputy": street.owner.pk, "grid": street.grid_b1.pk, "kind": "patrol", "date": today})
    assert response.status_code == 200
    response = client.post(
        url, {"deputy": street.owner.pk, "grid": street.grid_a1.pk, "kind": "patrol", "date": today + timedelta(days=3)}
    )
    assert response.status_code == 200 and "日期不能晚于今天" in response.content.decode()
    client.force_login(street.staff_a)
    response = client.post(
        reverse("liaison:activity_list"),
        {
            "station": street.a.pk,
            "kind": "training",
            "title": "代表履职培训",
            "date": today,
            "present": [street.owner.pk, street.colleague.pk],
            "absent": [street.outsider.pk],
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("liaison:activity_list"),
        {
            "station": street.a.pk,
            "kind": "training",
            "title": "x",
            "date": today,
            "present": [street.owner.pk],
            "absent": [street.owner.pk],
        },
    )
    assert response.status_code == 200 and "只能有一种出席情况" in response.content.decode()


def test_qr_codes_in_png_and_svg(client, street):
    client.force_login(street.staff_a)
    png = client.get(reverse("liaison:qr_station", args=[street.a.pk, "png"]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    svg = client.get(reverse("liaison:qr_deputy", args=[street.owner.pk, "svg"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client.get(reverse("liaison:qr_station", args=[street.a.pk, "gif"])).status_code == 404
    # The code encodes the public page's absolute address: the same image as one made for that address.
    public_url = "http://testserver" + reverse("liaison:public_station", args=[street.a.pk])
    assert png.content == qr_image_bytes(public_url, "png")
    assert png.content != qr_image_bytes(public_url.replace(str(street.a.pk), str(street.b.pk)), "png")


def test_home_sections_show_the_reception_of_the_day_and_the_duties(client, street, seeded):
    roster_set(day=seeded["day"], deputies=[street.colleague], actor=street.staff_a)
    client.force_login(street.staff_a)
    page = client.get(reverse("home")).content.decode()
    assert "今日接待" in page and "李代表" in page  # today's day at station A with its roster
    assert "1 条社情民意待处理" in page  # the traffic opinion has no outcome yet
    client.force_login(street.staff_b)
    page = client.get(reverse("home")).content.decode()
    assert "李代表" not in page and "今天您的联络站没有接待日" in page
    client.force_login(street.owner_user)
    page = client.get(reverse("home")).content.decode()
    assert "已完成（1）" in page  # the patrol recorded this month
    assert page.count("未完成") == 3  # grid meeting, research visit, report


def test_english_works_too(client, street, seeded):
    client.force_login(street.staff_a)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("liaison:visit_new"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log a visit" in body and "Add an opinion" in body and "记录接待" not in body
    response = client.post(
        reverse("liaison:opinion_detail", args=[seeded["visit"].opinions.order_by("id").first().pk]),
        {"action": "outcome", "outcome": "referred", "referral_unit": "", "note": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Choose the community or department it is referred to." in response.content.decode()
