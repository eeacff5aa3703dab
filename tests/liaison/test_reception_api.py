"""The reception API collections (reception-days, visits, opinions): scoping, writes, refusals."""

from datetime import date

import pytest

from liaison.models import Opinion, PersonalDataAccess, Visit
from liaison.services.opinions import opinion_create, opinion_set_outcome
from liaison.services.public import public_opinion_submit
from liaison.services.reception import reception_day_add, roster_set, visit_record
from tests.builders.files import png_upload
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

DAY = date(2024, 3, 15)


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def world(street):
    """Reception days, visits and opinions around the owner / colleague / outsider deputies."""
    day_a = reception_day_add(station=street.a, date=DAY, actor=street.staff_a)
    roster_set(day=day_a, groups=[street.group_a], actor=street.staff_a)  # the colleague's group
    day_a1 = reception_day_add(station=street.a1, date=DAY, actor=street.staff_a)
    day_b = reception_day_add(station=street.b, date=DAY, actor=street.staff_b)
    received = visit_record(
        actor=street.staff_a,
        station=street.a,
        date=DAY,
        channel="at_station",
        headcount=2,
        deputies=[street.owner],
        constituents=[{"name": "张三丰", "phone": "13812345678"}],
        opinions=[{"category": "traffic", "content": "A站接待的意见"}],
    )
    grid_a2 = opinion_create(
        actor=street.staff_a,
        station=street.a,
        data={"category": "property", "content": "A-2网格的意见", "grid": street.grid_a2},
        received_on=DAY,
    )
    at_b = visit_record(
        actor=street.staff_b,
        station=street.b,
        date=DAY,
        channel="at_station",
        headcount=1,
        deputies=[street.outsider],
        constituents=[{"name": "赵六", "phone": "13600001111"}],
        opinions=[{"category": "safety", "content": "B站的意见"}],
    )
    public_opinion_submit(
        station=street.a1, category="other", content="扫码提交", contact_name="钱七", contact_phone="13512345678"
    )
    return {
        "day_a": day_a,
        "day_a1": day_a1,
        "day_b": day_b,
        "received": received,
        "at_b": at_b,
        "opinion_received": received.opinions.get(),
        "opinion_grid_a2": grid_a2,
        "opinion_b": at_b.opinions.get(),
        "opinion_public": Opinion.objects.get(source="public"),
    }


def test_reception_days_are_scoped(client, street, world):
    url = "/api/v1/reception-days/"
    expected = {
        street.staff_a: {world["day_a"].id, world["day_a1"].id},
        street.staff_b: {world["day_b"].id},
        street.office: {world["day_a"].id, world["day_a1"].id, world["day_b"].id},
        street.owner_user: {world["day_a"].id},  # resident at A
        street.colleague_user: {world["day_a"].id},  # rostered through the group
        street.outsider_user: {world["day_b"].id},
        street.unit_officer: set(),
    }
    for user, days in expected.items():
        client.force_login(user)
        assert ids(client.get(url)) == days, user.username
    client.force_login(street.office)
    assert ids(client.get(url, {"station": street.a.pk})) == {world["day_a"].id, world["day_a1"].id}
    assert client.get(url, {"date_from": "2024-13-01"}).status_code == 400
    roster = client.get(f"{url}{world['day_a'].id}/").json()["roster"]
    assert roster == [{"deputy": None, "deputy_name": None, "group": street.group_a.id, "group_name": "甲片区代表小组"}]


def test_visits_are_scoped_owner_colleague_outsider(client, street, world):
    url = "/api/v1/visits/"
    expected = {
        street.staff_a: {world["received"].id},
        street.staff_b: {world["at_b"].id},
        street.owner_user: {world["received"].id},  # received it
        street.colleague_user: set(),
        street.outsider_user: {world["at_b"].id},
        street.unit_officer: set(),
        street.leader: {world["received"].id, world["at_b"].id},
    }
    for user, visits in expected.items():
        client.force_login(user)
        assert ids(client.get(url)) == visits, user.username
    client.force_login(street.colleague_user)
    assert client.get(f"{url}{world['received'].id}/").status_code == 404


def test_opinions_are_scoped_owner_colleague_outsider(client, street, world):
    url = "/api/v1/opinions/"
    o = world
    a_all = {o["opinion_received"].id, o["opinion_grid_a2"].id, o["opinion_public"].id}
    expected = {
        street.staff_a: a_all,  # station A and the community point below it
        street.staff_b: {o["opinion_b"].id},
        street.owner_user: {o["opinion_received"].id, o["opinion_grid_a2"].id},  # resident at A, received one
        street.colleague_user: {o["opinion_grid_a2"].id},  # only their grid's
        street.outsider_user: {o["opinion_b"].id},
        street.unit_officer: set(),
        street.office: a_all | {o["opinion_b"].id},
    }
    for user, opinions in expected.items():
        client.force_login(user)
        assert ids(client.get(url)) == opinions, user.username
    # Once referred to the officer's unit, they see it (and only it).
    opinion_set_outcome(opinion=o["opinion_b"], outcome="referred", referral_unit=street.unit, actor=street.staff_b)
    client.force_login(street.unit_officer)
    assert ids(client.get(url)) == {o["opinion_b"].id}
    for user in (street.colleague_user, street.outsider_user, street.staff_b):
        client.force_login(user)
        assert client.get(f"{url}{o['opinion_received'].id}/").status_code == 404


def test_opinion_filters(client, street, world):
    client.force_login(street.office)
    url = "/api/v1/opinions/"
    assert ids(client.get(url, {"outcome": "pending", "station": street.a.pk})) == {
        world["opinion_received"].id,
        world["opinion_grid_a2"].id,
        world["opinion_public"].id,
    }
    assert ids(client.get(url, {"grid": street.grid_a2.pk})) == {world["opinion_grid_a2"].id}
    assert ids(client.get(url, {"category": "safety"})) == {world["opinion_b"].id}
    assert ids(client.get(url, {"source": "public"})) == {world["opinion_public"].id}
    assert ids(client.get(url, {"q": "B站"})) == {world["opinion_b"].id}
    assert ids(client.get(url, {"resolved": "true"})) == set()
    for bad in ({"outcome": "maybe"}, {"resolved": "perhaps"}, {"date_from": "2024-02-31"}, {"category": "x"}):
        assert client.get(url, bad).status_code == 400, bad


def test_create_a_visit_through_the_api(client, street):
    client.force_login(street.staff_a)
    payload = {
        "station": street.a.pk,
        "date": "2024-03-15",
        "channel": "grid_patrol",
        "headcount": 4,
        "deputies": [street.owner.pk],
        "grid": street.grid_a1.pk,
        "constituents": [{"name": "孙八", "phone": "13711112222"}],
        "opinions": [
            {
                "category": "environment",
                "content": "垃圾桶不够",
                "outcome": "answered_on_site",
                "outcome_note": "已答复",
            },
            {"category": "traffic", "content": "缺少停车位", "outcome": "referred", "referral_unit": street.unit.pk},
        ],
    }
    response = client.post("/api/v1/visits/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["opinion_count"] == 2 and body["constituents"] == [
        {"id": body["constituents"][0]["id"], "name": "孙*", "phone": "137****2222"}
    ]
    # Bad input: 400 with the offending field, nothing written.
    for changes, field in [
        ({"opinions": [{"category": "traffic", "content": ""}]}, "opinions"),
        ({"opinions": [{"category": "traffic", "content": "x", "outcome": "referred"}]}, "opinions[0].referral_unit"),
        ({"date": "2024-02-30"}, "date"),
        ({"station": 999999}, "station"),
        ({"grid": street.grid_b1.pk}, "grid"),
        ({"headcount": 0}, "headcount"),
        ({"date": "2999-01-01"}, "date"),
    ]:
        response = client.post("/api/v1/visits/", payload | changes, content_type="application/json")
        assert response.status_code == 400 and field in response.json(), (changes, response.content)
    assert Visit.objects.count() == 1 and Opinion.objects.count() == 2
    client.force_login(street.staff_b)
    assert client.post("/api/v1/visits/", payload, content_type="application/json").status_code == 403
    client.force_login(street.leader)
    assert client.post("/api/v1/visits/", payload, content_type="application/json").status_code == 403
    assert Visit.objects.count() == 1


def test_opinion_actions_through_the_api(client, street, world):
    opinion = world["opinion_grid_a2"]
    url = f"/api/v1/opinions/{opinion.id}/"
    client.force_login(street.staff_a)
    response = client.post(url + "outcome/", {"outcome": "escalated"}, content_type="application/json")
    assert response.status_code == 400  # escalation goes through the suggestions API
    response = client.post(
        url + "outcome/",
        {"outcome": "referred", "referral_unit": street.unit.pk, "note": "转社区"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["outcome"] == "referred"
    response = client.post(url + "outcome/", {"outcome": "filed"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["detail"] == "该意见已有处理结果（转交办理），不能再次登记。"
    client.force_login(street.unit_officer)
    assert client.post(url + "feedback/", {"content": "已处理"}, content_type="application/json").status_code == 200
    assert client.post(url + "feedback/", {"content": ""}, content_type="application/json").status_code == 400
    client.force_login(street.owner_user)  # sees it (resident at A) but may not triage
    assert client.post(url + "resolve/", {"note": "好了"}, content_type="application/json").status_code == 403
    client.force_login(street.staff_a)
    assert client.post(url + "resolve/", {"note": ""}, content_type="application/json").status_code == 400
    detail = client.post(url + "resolve/", {"note": "已修复"}, content_type="application/json").json()
    assert detail["resolved"] is True
    assert [e["kind"] for e in detail["events"]] == ["received", "outcome", "feedback", "resolved"]
    assert detail["referral_feedback"][0]["content"] == "已处理"


def test_create_a_single_opinion_with_a_photo(client, street):
    client.force_login(street.staff_a)
    response = client.post(
        "/api/v1/opinions/",
        {
            "station": street.a.pk,
            "category": "safety",
            "content": "井盖松动",
            "photos": [png_upload()],
        },
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["photos"]) == 1
    client.force_login(street.staff_b)
    response = client.post("/api/v1/opinions/", {"station": street.a.pk, "category": "safety", "content": "x"})
    assert response.status_code == 403
    assert Opinion.objects.count() == 1


def test_reveal_is_logged_and_only_for_entitled_roles(client, street, world):
    visit_url = f"/api/v1/visits/{world['received'].id}/reveal/"
    client.force_login(street.owner_user)  # sees the visit, may not reveal
    assert client.post(visit_url, {}, content_type="application/json").status_code == 403
    client.force_login(street.leader)
    assert client.post(visit_url, {}, content_type="application/json").status_code == 403
    assert not PersonalDataAccess.objects.exists()
    client.force_login(street.staff_a)
    response = client.post(visit_url, {"reason": "回访群众"}, content_type="application/json")
    assert response.json() == {
        "constituents": [{"id": world["received"].constituents.get().id, "name": "张三丰", "phone": "13812345678"}]
    }
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.object_type, log.object_id, log.reason) == (
        street.staff_a,
        "reveal",
        "visit",
        world["received"].id,
        "回访群众",
    )
    client.force_login(street.office)
    response = client.post(
        f"/api/v1/opinions/{world['opinion_public'].id}/reveal/",
        {"reason": "核实情况"},
        content_type="application/json",
    )
    assert response.json() == {"name": "钱七", "phone": "13512345678"}
    assert PersonalDataAccess.objects.count() == 2
