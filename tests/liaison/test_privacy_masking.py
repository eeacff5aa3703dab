"""Personal information: phones masked in every list, export and API response; reveals and exports logged."""

from datetime import date

import pytest
from django.urls import reverse

from liaison.models import PersonalDataAccess
from liaison.services.opinions import opinion_set_outcome
from liaison.services.public import public_opinion_submit
from liaison.services.reception import visit_record
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

VISITOR_PHONE = "13812345678"
PUBLIC_PHONE = "13598765432"
FULL = [VISITOR_PHONE, PUBLIC_PHONE, "张三丰", "钱七"]


@pytest.fixture
def contacts(street):
    visit = visit_record(
        actor=street.staff_a,
        station=street.a,
        date=date(2024, 3, 15),
        channel="at_station",
        headcount=1,
        deputies=[street.owner],
        constituents=[{"name": "张三丰", "phone": VISITOR_PHONE}],
        opinions=[{"category": "traffic", "content": "路口拥堵"}],
    )
    public_opinion_submit(
        station=street.a,
        deputy=street.owner,
        category="other",
        content="扫码意见",
        contact_name="钱七",
        contact_phone=PUBLIC_PHONE,
    )
    opinion = street.a.opinions.get(source="public")
    opinion_set_outcome(opinion=opinion, outcome="referred", referral_unit=street.unit, actor=street.staff_a)
    return {"visit": visit, "public": opinion}


def _every_listing(client, contacts):
    visit, public = contacts["visit"], contacts["public"]
    return {
        "visit list": client.get(reverse("liaison:visit_list")),
        "visit export": client.get(reverse("liaison:visit_list"), {"export": "csv"}),
        "visit page": client.get(reverse("liaison:visit_detail", args=[visit.pk])),
        "opinion list": client.get(reverse("liaison:opinion_list")),
        "opinion export": client.get(reverse("liaison:opinion_list"), {"export": "csv"}),
        "opinion page": client.get(reverse("liaison:opinion_detail", args=[public.pk])),
        "visits api": client.get("/api/v1/visits/"),
        "visit api": client.get(f"/api/v1/visits/{visit.pk}/"),
        "opinions api": client.get("/api/v1/opinions/"),
        "opinion api": client.get(f"/api/v1/opinions/{public.pk}/"),
    }


@pytest.mark.parametrize("role", ["staff_a", "office", "leader", "admin", "owner_user", "unit_officer"])
def test_full_phones_and_names_never_appear_in_lists_exports_or_the_api(client, street, contacts, role):
    client.force_login(getattr(street, role))
    seen_masked = False
    for name, response in _every_listing(client, contacts).items():
        if response.status_code in (403, 404):
            continue
        assert response.status_code == 200, (name, response.status_code)
        body = response.content.decode("utf-8-sig")
        for value in FULL:
            assert value not in body, (role, name, value)
        seen_masked = seen_masked or "138****5678" in body or "135****5432" in body
    assert seen_masked, role  # every role here sees at least one masked number, so the check is not vacuous


def test_exports_are_logged(client, street, contacts):
    client.force_login(street.staff_a)
    response = client.get(reverse("liaison:opinion_list"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "135****5432" in response.content.decode("utf-8-sig")
    client.get(reverse("liaison:visit_list"), {"export": "csv"})
    logs = list(PersonalDataAccess.objects.order_by("id").values_list("user__username", "action", "object_type"))
    assert logs == [("staff_a", "export", "opinion"), ("staff_a", "export", "visit")]


def test_reveal_on_the_visit_page_is_logged_and_refused_to_others(client, street, contacts):
    url = reverse("liaison:visit_detail", args=[contacts["visit"].pk])
    for user in (street.leader, street.owner_user):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "查看完整联系方式" not in page  # no reveal button offered
        assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(street.staff_b)
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert not PersonalDataAccess.objects.exists()
    client.force_login(street.staff_a)
    response = client.post(url, {"reason": "电话回访"})
    assert VISITOR_PHONE in response.content.decode() and "张三丰" in response.content.decode()
    log = PersonalDataAccess.objects.get()
    assert log.user == street.staff_a and log.action == "reveal" and log.object_id == contacts["visit"].pk
    assert log.reason == "电话回访" and log.ip_address == "127.0.0.1"
    # The next plain visit shows the phone masked again.
    assert VISITOR_PHONE not in client.get(url).content.decode()


def test_the_unit_handling_a_referred_opinion_may_reveal_its_contact(client, street, contacts):
    url = reverse("liaison:opinion_detail", args=[contacts["public"].pk])
    client.force_login(street.unit_officer)
    response = client.post(url, {"action": "reveal", "reason": "联系群众核实"})
    assert PUBLIC_PHONE in response.content.decode()
    assert PersonalDataAccess.objects.get().user == street.unit_officer
    client.force_login(street.owner_user)  # the deputy addressed sees the opinion, masked, and cannot reveal
    assert client.post(url, {"action": "reveal"}).status_code == 403
    assert PersonalDataAccess.objects.count() == 1


def test_the_audit_page_is_for_the_office(client, street, contacts):
    client.force_login(street.staff_a)
    client.post(reverse("liaison:visit_detail", args=[contacts["visit"].pk]), {"reason": "回访"})
    assert client.get(reverse("liaison:privacy_audit")).status_code == 403
    client.force_login(street.office)
    response = client.get(reverse("liaison:privacy_audit"))
    assert response.status_code == 200
    rows = list(response.context["page_obj"])
    assert len(rows) == 1 and rows[0].user == street.staff_a
    body = response.content.decode()
    assert "查看完整信息" in body and "回访" in body
    assert len(client.get(reverse("liaison:privacy_audit"), {"action": "export"}).context["page_obj"]) == 0


def test_the_admin_shows_reception_records_read_only_and_masked(client, street, contacts):
    client.force_login(street.admin)
    for url in [
        f"/admin/liaison/opinion/{contacts['public'].pk}/change/",
        f"/admin/liaison/visit/{contacts['visit'].pk}/change/",
        "/admin/liaison/opinion/",
        "/admin/liaison/visit/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for value in FULL:
            assert value not in body, (url, value)
    assert "135****5432" in client.get(f"/admin/liaison/opinion/{contacts['public'].pk}/change/").content.decode()
    assert client.get("/admin/liaison/opinion/add/").status_code == 403
