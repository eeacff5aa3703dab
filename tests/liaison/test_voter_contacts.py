"""Voter contacts (联系选民) and linked constituents (双联): services, scoping, API and pages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.errors import PermissionRefused
from deputies.models import ConstituentLink
from duties.models import VoterContact
from duties.selectors import voter_contact_counts, voter_contacts_visible_to
from duties.services.contacts import (
    constituent_link_add,
    constituent_link_remove,
    voter_contact_delete,
    voter_contact_record,
    voter_contact_update,
)
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

TODAY = date(2024, 5, 20)


def record(street, actor=None, **kwargs):
    arguments = {
        "deputy": street.owner,
        "date": date(2024, 5, 18),
        "way": "phone",
        "subject": "电话回访加装电梯进展",
        "actor": actor or street.owner_user,
    } | kwargs
    return voter_contact_record(**arguments)


# --- services ---------------------------------------------------------------------------------------------


def test_who_may_record_a_contact(street):
    # Another deputy, staff of a station the deputy is not at, a leader and a unit officer may not.
    for outsider in (street.colleague_user, street.staff_b, street.leader, street.unit_officer):
        with pytest.raises(PermissionRefused):
            record(street, actor=outsider)
    record(street, actor=street.owner_user)  # the deputy themself
    record(street, actor=street.staff_a)  # staff of the station the deputy is resident at
    record(street, actor=street.office)
    record(street, actor=street.admin)
    assert VoterContact.objects.filter(deputy=street.owner).count() == 4
    assert set(VoterContact.objects.values_list("recorded_by__username", flat=True)) == {
        "owner",
        "staff_a",
        "office",
        "admin",
    }


def test_bad_input_is_refused_with_field_errors_and_nothing_written(street, frozen_today):
    frozen_today(TODAY)
    other_link = constituent_link_add(deputy=street.colleague, name="陈阿姨", actor=street.office)
    cases = [
        ({"date": date(2024, 5, 21)}, "date"),  # tomorrow
        ({"date": date(1999, 12, 31)}, "date"),
        ({"date": None}, "date"),
        ({"way": "telepathy"}, "way"),
        ({"subject": "   "}, "subject"),
        ({"people": 0}, "people"),
        ({"people": 501}, "people"),
        ({"constituent": other_link}, "constituent"),  # linked to another deputy
        ({"note": "长" * 2001}, "note"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as caught:
            record(street, **kwargs)
        assert field in caught.value.message_dict, kwargs
    assert not VoterContact.objects.exists()


def test_a_contact_with_a_linked_constituent_and_its_removal(street):
    link = constituent_link_add(deputy=street.owner, name="何大爷", phone="13800001111", actor=street.owner_user)
    contact = record(street, constituent=link, people=3, note="约好下周再访")
    assert (contact.constituent, contact.people, contact.recorded_by) == (link, 3, street.owner_user)
    with pytest.raises(PermissionRefused):
        voter_contact_delete(contact=contact, actor=street.colleague_user)
    # Unlinking the constituent keeps the contact, without the link.
    constituent_link_remove(link=link, actor=street.staff_a)
    contact.refresh_from_db()
    assert contact.constituent is None
    voter_contact_delete(contact=contact, actor=street.owner_user)
    assert not VoterContact.objects.exists()


def test_linked_constituents_are_validated(street):
    constituent_link_add(deputy=street.owner, name="何大爷", phone="13800001111", actor=street.owner_user)
    for kwargs, field in [
        ({"name": "何大爷", "phone": "13800001111"}, "name"),  # already linked
        ({"name": " "}, "name"),
        ({"name": "周伯", "phone": "138-abc"}, "phone"),
    ]:
        with pytest.raises(ValidationError) as caught:
            constituent_link_add(deputy=street.owner, actor=street.owner_user, **kwargs)
        assert field in caught.value.message_dict
    with pytest.raises(PermissionRefused):
        constituent_link_add(deputy=street.owner, name="周伯", actor=street.colleague_user)
    assert ConstituentLink.objects.filter(deputy=street.owner).count() == 1


def test_counts_per_deputy_and_year(street, django_assert_num_queries):
    record(street, date=date(2024, 1, 2), people=2)
    record(street, date=date(2024, 5, 1), people=5)
    record(street, date=date(2023, 12, 31))  # last year
    record(street, deputy=street.colleague, actor=street.office, date=date(2024, 2, 1))
    constituent_link_add(deputy=street.owner, name="何大爷", actor=street.owner_user)
    with django_assert_num_queries(2):
        counts = voter_contact_counts([street.owner.id, street.colleague.id, street.outsider.id], 2024)
    assert counts[street.owner.id] == {"contacts": 2, "people": 7, "links": 1}
    assert counts[street.colleague.id] == {"contacts": 1, "people": 1, "links": 0}
    assert counts[street.outsider.id] == {"contacts": 0, "people": 0, "links": 0}


def test_who_sees_which_contacts(street):
    mine = record(street)
    theirs = record(street, deputy=street.outsider, actor=street.office)
    visible = lambda user: set(voter_contacts_visible_to(user))  # noqa: E731
    assert visible(street.owner_user) == {mine}
    assert visible(street.colleague_user) == set()  # colleagues do not see each other's constituents
    assert visible(street.staff_a) == {mine}
    assert visible(street.staff_b) == {theirs}
    assert visible(street.office) == visible(street.leader) == {mine, theirs}
    assert visible(street.unit_officer) == set()


# --- API --------------------------------------------------------------------------------------------------


def api_url(pk=None):
    return reverse("voter-contact-detail", args=[pk]) if pk else reverse("voter-contact-list")


def test_api_records_lists_and_deletes(client, street):
    today = timezone.localdate()
    client.force_login(street.owner_user)
    payload = {"deputy": street.owner.id, "date": today.isoformat(), "way": "home_visit", "subject": "入户走访独居老人"}
    response = client.post(api_url(), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["deputy_name"], body["way"], body["people"], body["recorded_by"]) == (
        "王代表",
        "home_visit",
        1,
        street.owner_user.display_name,
    )
    listed = client.get(api_url(), {"year": today.year}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    assert client.delete(api_url(body["id"])).status_code == 204
    assert not VoterContact.objects.exists()


def test_api_bad_input_and_refusals(client, street):
    today = timezone.localdate()
    client.force_login(street.owner_user)
    bad = client.post(
        api_url(),
        {"deputy": street.owner.id, "date": "2999-01-01", "way": "phone", "subject": "x", "people": 0},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "people" in bad.json()
    future = client.post(
        api_url(),
        {"deputy": street.owner.id, "date": "2999-01-01", "way": "phone", "subject": "x"},
        content_type="application/json",
    )
    assert future.status_code == 400 and "date" in future.json()
    other = client.post(
        api_url(),
        {"deputy": street.colleague.id, "date": today.isoformat(), "way": "phone", "subject": "x"},
        content_type="application/json",
    )
    assert other.status_code == 403
    assert not VoterContact.objects.exists()
    # A contact the user may not see is a 404, for reading and deleting alike.
    hidden = record(street, deputy=street.outsider, actor=street.office, date=today)
    assert client.get(api_url(hidden.id)).status_code == 404
    assert client.delete(api_url(hidden.id)).status_code == 404
    # A leader reads everything but records nothing.
    client.force_login(street.leader)
    assert client.get(api_url(hidden.id)).status_code == 200
    refused = client.post(
        api_url(),
        {"deputy": street.owner.id, "date": today.isoformat(), "way": "phone", "subject": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert client.delete(api_url(hidden.id)).status_code == 403
    assert VoterContact.objects.count() == 1


def test_api_list_queries_do_not_grow_with_rows(client, street, django_assert_max_num_queries):
    today = timezone.localdate()
    client.force_login(street.office)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(api_url(), {"page_size": 100}).status_code == 200
        return len(captured)

    link = constituent_link_add(deputy=street.owner, name="何大爷", actor=street.office)
    for n in range(3):
        record(street, actor=street.office, date=today, constituent=link if n % 2 else None)
    few = count_queries()
    for n in range(30):
        record(street, actor=street.staff_a, date=today, constituent=link if n % 2 else None)
    assert count_queries() == few


# --- pages ------------------------------------------------------------------------------------------------


def contacts_page(deputy):
    return reverse("liaison:contact_deputy", args=[deputy.pk])


def test_the_deputy_records_a_contact_on_their_page(client, street):
    today = timezone.localdate()
    link = constituent_link_add(deputy=street.owner, name="何大爷", phone="13800001111", actor=street.owner_user)
    client.force_login(street.owner_user)
    response = client.get(contacts_page(street.owner))
    assert response.status_code == 200
    assert "13800001111" in response.content.decode()  # their own linked constituent, in full
    response = client.post(
        contacts_page(street.owner),
        {
            "action": "contact",
            "contact-date": today.isoformat(),
            "contact-way": "phone",
            "contact-subject": "电话回访",
            "contact-people": "1",
            "contact-constituent": str(link.pk),
        },
    )
    assert response.status_code == 302
    contact = VoterContact.objects.get()
    assert (contact.deputy, contact.constituent, contact.recorded_by) == (street.owner, link, street.owner_user)
    # The overview sends a deputy to their own page; a colleague's page does not exist for them.
    assert client.get(reverse("liaison:contact_overview")).url == contacts_page(street.owner)
    assert client.get(contacts_page(street.colleague)).status_code == 404


def test_a_bad_contact_form_shows_chinese_errors_and_changes_nothing(client, street):
    client.force_login(street.staff_a)
    valid = {
        "action": "contact",
        "contact-date": timezone.localdate().isoformat(),
        "contact-way": "phone",
        "contact-subject": "电话回访",
        "contact-people": "1",
    }
    for change, message in [
        ({"contact-date": "2099-01-01"}, "日期不能晚于今天"),  # refused by the service
        ({"contact-subject": " "}, "该字段是必填项"),  # refused by the form
        ({"contact-people": "0"}, "确保该值大于或等于1"),
    ]:
        response = client.post(contacts_page(street.owner), valid | change, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200
        assert response.context["contact_form"].errors
        assert message in response.content.decode()
    assert not VoterContact.objects.exists()


def test_others_see_masked_phones_and_leaders_cannot_write(client, street):
    constituent_link_add(deputy=street.owner, name="何大爷", phone="13800001111", actor=street.owner_user)
    client.force_login(street.leader)
    response = client.get(contacts_page(street.owner))
    text = response.content.decode()
    assert response.status_code == 200
    assert "13800001111" not in text and "138****1111" in text
    assert 'name="action" value="contact"' not in text  # no form for a reader
    refused = client.post(contacts_page(street.owner), {"action": "link", "link-name": "周伯"})
    assert refused.status_code == 403
    assert ConstituentLink.objects.filter(deputy=street.owner).count() == 1
    client.force_login(street.unit_officer)
    assert client.get(reverse("liaison:contact_overview")).status_code == 403


def test_the_overview_counts_against_the_yearly_requirement(client, street, django_assert_max_num_queries):
    today = timezone.localdate()
    for n in range(10):
        record(street, actor=street.staff_a, date=today, subject=f"走访{n}")
    record(street, deputy=street.colleague, actor=street.staff_a, date=today)
    client.force_login(street.staff_a)
    response = client.get(reverse("liaison:contact_overview"), {"year": today.year})
    assert response.status_code == 200
    rows = {row["deputy"].name: row for row in response.context["rows"]}
    assert (rows["王代表"]["contacts"], rows["王代表"]["contacts_met"]) == (10, True)
    assert (rows["李代表"]["contacts"], rows["李代表"]["contacts_met"]) == (1, False)
    assert "赵代表" not in rows  # at another station


def test_anonymous_users_get_nothing(client, street):
    record(street)
    assert client.get(api_url()).status_code in (401, 403)
    response = client.get(contacts_page(street.owner))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_deputy_links_a_constituent_and_records_contacts_in_the_browser(page, street):  # noqa: F811
    login(page, "owner")
    page.goto("/")
    page.click("text=登记联系选民")  # from the deputy's home page
    page.wait_for_selector("h1:has-text('联系选民')")
    # Link a constituent, then record a phone call with them.
    page.fill("input[name='link-name']", "何大爷")
    page.fill("input[name='link-phone']", "13800001111")
    page.click("form:has(input[value=link]) button[type=submit]")
    page.wait_for_selector("#links td:has-text('13800001111')")
    page.select_option("select[name='contact-way']", "phone")
    page.fill("input[name='contact-subject']", "电话回访加装电梯进展")
    page.select_option("select[name='contact-constituent']", label="何大爷")
    page.click("form:has(input[value=contact]) button[type=submit]")
    page.wait_for_selector("#contacts td:has-text('电话回访加装电梯进展')")
    assert "联系选民记录已登记" in page.inner_text(".messages")
    # A mistake stays on the page with its reason, nothing saved.
    page.fill("input[name='contact-subject']", "未来的回访")
    page.fill("input[name='contact-date']", "2099-01-01")
    page.click("form:has(input[value=contact]) button[type=submit]")
    page.wait_for_selector("text=日期不能晚于今天")
    contact = VoterContact.objects.get()
    assert (contact.subject, contact.way, contact.constituent.name) == ("电话回访加装电梯进展", "phone", "何大爷")
    # Removing asks first; accepting removes it.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#contacts button:has-text('删除')")
    page.wait_for_selector("text=本年度尚无联系选民记录")
    assert not VoterContact.objects.exists()


def test_a_contact_is_corrected_by_those_who_keep_it(client, street, frozen_today):
    frozen_today(TODAY)
    contact = record(street, people=2)
    with pytest.raises(PermissionRefused):
        voter_contact_update(contact=contact, actor=street.colleague_user, people=3)
    with pytest.raises(ValidationError) as caught:
        voter_contact_update(contact=contact, actor=street.staff_a, subject=" ", date=date(2024, 6, 1))
    assert set(caught.value.message_dict) == {"subject", "date"}
    with pytest.raises(TypeError):
        voter_contact_update(contact=contact, actor=street.staff_a, deputy=street.colleague)
    contact.refresh_from_db()
    assert (contact.people, contact.subject) == (2, "电话回访加装电梯进展")
    voter_contact_update(contact=contact, actor=street.staff_a, people=3, way="home_visit")
    contact.refresh_from_db()
    assert (contact.people, contact.way, contact.recorded_by) == (3, "home_visit", street.owner_user)


def test_a_contact_is_corrected_on_the_page_and_through_the_api(client, street):
    today = timezone.localdate()
    contact = record(street, date=today)
    client.force_login(street.owner_user)
    form = client.get(contacts_page(street.owner), {"edit": contact.pk})
    assert form.context["editing"] == contact
    assert form.context["contact_form"].initial["subject"] == "电话回访加装电梯进展"
    response = client.post(
        contacts_page(street.owner),
        {
            "action": "update",
            "id": str(contact.pk),
            "contact-date": today.isoformat(),
            "contact-way": "wechat",
            "contact-subject": "微信群回访",
            "contact-people": "12",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.way, contact.subject, contact.people) == ("wechat", "微信群回访", 12)
    assert VoterContact.objects.count() == 1  # corrected, not recorded again
    patched = client.patch(api_url(contact.pk), {"people": 0}, content_type="application/json")
    assert patched.status_code == 400 and "people" in patched.json()
    patched = client.patch(api_url(contact.pk), {"people": 15}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["people"] == 15
    client.force_login(street.colleague_user)
    assert client.patch(api_url(contact.pk), {"people": 1}, content_type="application/json").status_code == 404
    contact.refresh_from_db()
    assert contact.people == 15
