"""A phone is revealed in full only with a reason, and every reveal is logged, the Django admin included."""

import pytest
from django.urls import reverse

from duties.services.contacts import constituent_link_add
from liaison.models import PersonalDataAccess
from tests.liaison import reception_support
from tests.liaison.test_privacy_masking import PUBLIC_PHONE, VISITOR_PHONE, contacts

pytestmark = pytest.mark.django_db
street = reception_support.street
contacts = contacts  # the fixture: a visit with a constituent and a public opinion referred to the unit

REASON_REQUIRED = "请填写查看完整联系方式的理由。"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_the_api_refuses_a_reveal_without_a_reason_and_logs_nothing(client, street, contacts, reason):
    client.force_login(street.staff_a)
    body = {} if reason is None else {"reason": reason}
    for url in (
        f"/api/v1/visits/{contacts['visit'].pk}/reveal/",
        f"/api/v1/opinions/{contacts['public'].pk}/reveal/",
    ):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.content)
        assert response.json() == {"reason": [REASON_REQUIRED]}
        assert VISITOR_PHONE not in response.content.decode() and PUBLIC_PHONE not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_the_pages_refuse_a_reveal_without_a_reason_and_log_nothing(client, street, contacts):
    client.force_login(street.staff_a)
    response = client.post(reverse("liaison:visit_detail", args=[contacts["visit"].pk]), {"reason": " "})
    page = response.content.decode()
    assert response.status_code == 200 and REASON_REQUIRED in page and VISITOR_PHONE not in page
    response = client.post(
        reverse("liaison:opinion_detail", args=[contacts["public"].pk]), {"action": "reveal", "reason": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200 and REASON_REQUIRED in page and PUBLIC_PHONE not in page
    assert not PersonalDataAccess.objects.exists()
    # With a reason it works and is logged with it.
    response = client.post(reverse("liaison:visit_detail", args=[contacts["visit"].pk]), {"reason": "电话回访"})
    assert VISITOR_PHONE in response.content.decode()
    assert list(PersonalDataAccess.objects.values_list("reason", flat=True)) == ["电话回访"]


LINK_PHONE = "13711112222"


@pytest.fixture
def link(street):
    return constituent_link_add(deputy=street.owner, name="孙八", phone=LINK_PHONE, actor=street.office)


def test_the_admin_deputy_page_masks_linked_constituents_phones(client, street, link):
    client.force_login(street.admin, backend=MODEL_BACKEND)
    response = client.get(reverse("admin:deputies_deputy_change", args=[street.owner.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "孙八" in page and "137****2222" in page and LINK_PHONE not in page
    reveal_url = reverse("admin:liaison_personaldataaccess_reveal_link", args=[link.pk])
    assert reveal_url in page
    assert not PersonalDataAccess.objects.exists()
    assert 'name="constituent_links-0-phone"' not in page  # not editable in full either


def test_the_admin_reveals_a_linked_constituents_phone_with_a_reason_logged(client, street, link):
    client.force_login(street.admin, backend=MODEL_BACKEND)
    url = reverse("admin:liaison_personaldataaccess_reveal_link", args=[link.pk])
    page = client.get(url).content.decode()
    assert "137****2222" in page and LINK_PHONE not in page
    response = client.post(url, {"reason": ""})
    page = response.content.decode()
    assert response.status_code == 200 and REASON_REQUIRED in page and LINK_PHONE not in page
    assert not PersonalDataAccess.objects.exists()
    response = client.post(url, {"reason": "核实双联名单"}, REMOTE_ADDR="192.0.2.44")
    assert LINK_PHONE in response.content.decode()
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.object_type, log.object_id, log.reason, log.ip_address) == (
        street.admin,
        "reveal",
        "constituent_link",
        link.pk,
        "核实双联名单",
        "192.0.2.44",
    )


def test_the_admin_reveal_view_is_for_admin_site_users_only(client, street, link):
    url = reverse("admin:liaison_personaldataaccess_reveal_link", args=[link.pk])
    client.force_login(street.staff_a, backend=MODEL_BACKEND)
    response = client.post(url, {"reason": "x"})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert not PersonalDataAccess.objects.exists()
