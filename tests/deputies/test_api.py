"""The ``deputies`` and ``deputy-groups`` collections: role scoping, masking, writes, bad input, filters."""

import pytest

from deputies.models import Deputy, DeputyGroup, DeputyKind, Level, Term
from deputies.services import deputy_create, deputy_update
from organisation.services import station_update
from tests.builders.deputies import county_term, township_term
from tests.builders.people import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/deputies/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


# --- reading, scoped ---------------------------------------------------------------------------------------------


def test_office_leader_and_admin_see_every_deputy(street, folks):
    for user in (folks.office, folks.leader, folks.admin):
        assert names(client_for(user).get(URL)) == ["A代表", "B代表"]


def test_station_staff_see_the_deputies_of_their_subtree(street, folks):
    # Owner and colleague (both staff of area A) see A's deputy; the outsider (staff of B) does not.
    assert names(client_for(folks.staff_a).get(URL)) == ["A代表"]
    assert names(client_for(folks.staff_a2).get(URL)) == ["A代表"]
    assert names(client_for(folks.staff_b).get(URL)) == ["B代表"]
    assert client_for(folks.staff_b).get(f"{URL}{street.a.deputy.id}/").status_code == 404
    assert client_for(folks.staff_a).get(f"{URL}{street.a.deputy.id}/").status_code == 200


def test_a_deputy_sees_themselves_and_not_another_grid(street, folks):
    assert names(client_for(folks.deputy_a).get(URL)) == ["A代表"]
    assert client_for(folks.deputy_a).get(f"{URL}{street.b.deputy.id}/").status_code == 404
    assert client_for(folks.deputy_b).get(f"{URL}{street.a.deputy.id}/").status_code == 404


def test_a_unit_officer_sees_no_deputy(street, folks):
    client = client_for(folks.unit_officer)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{street.a.deputy.id}/").status_code == 404


def test_the_record_shows_terms_and_labels_in_chinese(street, folks):
    body = client_for(folks.office).get(f"{URL}{street.a.deputy.id}/").json()

    assert body["kind"] == "congress" and body["kind_label"] == "人大代表"
    assert [(t["level"], t["level_label"]) for t in body["terms"]] == [
        ("county", "县（区）级"),
        ("township", "乡镇（街道）级"),
    ]
    assert body["groups"] == list(DeputyGroup.objects.values_list("id", flat=True))


def test_phones_are_masked_for_those_who_may_not_see_them(street, folks):
    # B joins A's group, so each deputy sees the other: their own phone in full, the other's masked.
    deputy_update(deputy=street.b.deputy, groups=list(DeputyGroup.objects.all()))
    a_phone, b_phone = street.a.deputy.phone, street.b.deputy.phone

    rows = {row["name"]: row["phone"] for row in client_for(folks.deputy_a).get(URL).json()["results"]}
    assert rows == {"A代表": a_phone, "B代表": b_phone[:3] + "****" + b_phone[-4:]}
    single = client_for(folks.deputy_b).get(f"{URL}{street.a.deputy.id}/").json()
    assert single["phone"] == a_phone[:3] + "****" + a_phone[-4:]

    # Staff who organise their work and the office see phones in full.
    assert client_for(folks.staff_a).get(f"{URL}{street.a.deputy.id}/").json()["phone"] == a_phone
    assert client_for(folks.office).get(f"{URL}{street.b.deputy.id}/").json()["phone"] == b_phone


# --- writing -----------------------------------------------------------------------------------------------------


NEW_DEPUTY = {
    "name": "陈建国",
    "gender": "male",
    "birth_year": 1975,
    "occupation": "某中学校长",
    "phone": "13911112222",
    "terms": [county_term(), township_term()],
}


@pytest.mark.parametrize("who", ["office", "admin"])
def test_office_and_admin_record_a_deputy(street, folks, who):
    group = DeputyGroup.objects.get()
    response = client_for(getattr(folks, who)).post(URL, {**NEW_DEPUTY, "groups": [group.id]}, format="json")

    assert response.status_code == 201, response.json()
    deputy = Deputy.objects.get(name="陈建国")
    assert sorted(deputy.terms.values_list("level", flat=True)) == [Level.COUNTY, Level.TOWNSHIP]
    assert list(deputy.groups.all()) == [group]
    assert response.json()["id"] == deputy.id


def test_office_updates_terms_and_deletes_a_deputy_recorded_by_mistake(street, folks):
    client = client_for(folks.office)
    deputy_id = client.post(URL, NEW_DEPUTY, format="json").json()["id"]

    response = client.patch(f"{URL}{deputy_id}/", {"terms": [county_term()], "occupation": "退休"}, format="json")
    assert response.status_code == 200, response.json()
    assert [t["level"] for t in response.json()["terms"]] == ["county"]
    assert Term.objects.filter(deputy_id=deputy_id).count() == 1

    assert client.delete(f"{URL}{deputy_id}/").status_code == 204
    assert not Deputy.objects.filter(pk=deputy_id).exists()


def test_deleting_a_deputy_in_use_is_a_409_in_chinese(street, folks):
    response = client_for(folks.office).delete(f"{URL}{street.a.deputy.id}/")
    assert response.status_code == 409
    assert "停用" in response.json()["detail"]
    assert Deputy.objects.filter(pk=street.a.deputy.id).exists()


@pytest.mark.parametrize("who", ["leader", "staff_a", "deputy_a", "unit_officer"])
def test_other_roles_cannot_write(street, folks, who):
    client = client_for(getattr(folks, who))
    deputy = street.a.deputy
    before = (Deputy.objects.count(), Term.objects.count())

    assert client.post(URL, NEW_DEPUTY, format="json").status_code == 403
    assert client.patch(f"{URL}{deputy.id}/", {"name": "改名"}, format="json").status_code == 403
    assert client.put(f"{URL}{deputy.id}/", {**NEW_DEPUTY}, format="json").status_code == 403
    assert client.delete(f"{URL}{deputy.id}/").status_code == 403

    assert (Deputy.objects.count(), Term.objects.count()) == before
    deputy.refresh_from_db()
    assert deputy.name == "A代表"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW_DEPUTY, "name": ""}, "name"),
        ({key: value for key, value in NEW_DEPUTY.items() if key != "name"}, "name"),
        ({**NEW_DEPUTY, "kind": "mayor"}, "kind"),
        ({**NEW_DEPUTY, "gender": "x"}, "gender"),
        ({**NEW_DEPUTY, "birth_year": "nineteen"}, "birth_year"),
        ({**NEW_DEPUTY, "terms": [county_term(), county_term()]}, "terms"),
        ({**NEW_DEPUTY, "terms": [{**county_term(), "end_year": 2000}]}, "terms"),
        ({**NEW_DEPUTY, "terms": [{**county_term(), "level": "galactic"}]}, "terms"),
        ({**NEW_DEPUTY, "terms": [{"level": "county"}]}, "terms"),
        ({**NEW_DEPUTY, "terms": "county"}, "terms"),
        ({**NEW_DEPUTY, "kind": DeputyKind.DELIBERATION}, "terms"),
        ({**NEW_DEPUTY, "groups": [999999]}, "groups"),
    ],
)
def test_bad_input_is_400_and_writes_nothing(street, folks, payload, field):
    before = (Deputy.objects.count(), Term.objects.count())

    response = client_for(folks.office).post(URL, payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert (Deputy.objects.count(), Term.objects.count()) == before


def test_a_bad_update_changes_nothing(street, folks):
    deputy = street.a.deputy
    client = client_for(folks.office)
    for payload in (
        {"name": "新名字", "terms": [county_term(), county_term()]},
        {"kind": DeputyKind.DELIBERATION},  # still holds congress terms
        {"name": "新名字", "groups": ["x"]},
        {"is_active": "perhaps"},
    ):
        response = client.patch(f"{URL}{deputy.id}/", payload, format="json")
        assert response.status_code == 400, (payload, response.json())
    deputy.refresh_from_db()
    assert deputy.name == "A代表" and deputy.kind == DeputyKind.CONGRESS and deputy.is_active
    assert deputy.terms.count() == 2


def test_duplicate_term_message_is_chinese(street, folks):
    response = client_for(folks.office).post(
        URL, {**NEW_DEPUTY, "terms": [county_term(), county_term()]}, format="json"
    )
    assert response.json()["terms"] == ["该代表已有同一层级、同一起始年份的任期。"]


# --- filters -----------------------------------------------------------------------------------------------------


def test_filters(street, folks):
    client = client_for(folks.office)
    deputy_create(name="议政代表甲", kind=DeputyKind.DELIBERATION)
    deputy_create(name="离任代表", is_active=False, terms=[county_term(2011)])
    deputy_create(name="市代表", terms=[{**county_term(), "level": Level.MUNICIPAL}])
    group = DeputyGroup.objects.get()

    assert names(client.get(URL, {"kind": "deliberation"})) == ["议政代表甲"]
    assert names(client.get(URL, {"level": "municipal"})) == ["市代表"]
    assert names(client.get(URL, {"level": "county", "active": "true"})) == ["A代表", "B代表"]
    assert names(client.get(URL, {"active": "false"})) == ["离任代表"]
    assert names(client.get(URL, {"group": group.id})) == ["A代表"]
    assert names(client.get(URL, {"grid": street.b.grid.id})) == ["B代表"]
    assert names(client.get(URL, {"q": "议政"})) == ["议政代表甲"]
    # A station includes everything below it: the hub reaches both areas' deputies.
    assert names(client.get(URL, {"station": street.a.station.id})) == ["A代表"]
    assert names(client.get(URL, {"station": street.hub.id})) == ["A代表", "B代表"]
    # Filters narrow the user's scope, never widen it.
    assert names(client_for(folks.staff_a).get(URL, {"station": street.b.station.id})) == []


@pytest.mark.parametrize("query", [{"level": "galactic"}, {"kind": "x"}, {"station": "abc"}, {"active": "perhaps"}])
def test_bad_filter_values_are_400(street, folks, query):
    assert client_for(folks.office).get(URL, query).status_code == 400


# --- deputy groups -----------------------------------------------------------------------------------------------


def test_deputy_groups_follow_the_deputies_one_can_see(street, folks):
    url = "/api/v1/deputy-groups/"
    group = DeputyGroup.objects.get()
    row = client_for(folks.office).get(url).json()["results"][0]
    assert row == {
        "id": group.id,
        "name": "A片区代表小组",
        "kind": "area",
        "kind_label": "按片区",
        "leader": street.a.deputy.id,
        "leader_name": "A代表",
        "member_count": 1,
    }
    assert client_for(folks.staff_a).get(url).json()["count"] == 1
    assert client_for(folks.staff_b).get(url).json()["count"] == 0
    assert client_for(folks.staff_b).get(f"{url}{group.id}/").status_code == 404
    assert client_for(folks.unit_officer).get(url).json()["count"] == 0


# --- query counts ------------------------------------------------------------------------------------------------


def _grow_to(total: int, street) -> None:
    """Add deputies resident at A's community point (so staff of A see them too), each with two terms."""
    while Deputy.objects.count() < total:
        deputy = deputy_create(name=f"代表{Deputy.objects.count():03d}", terms=[county_term(), township_term()])
        deputy_update(deputy=deputy, groups=list(DeputyGroup.objects.all()))
        station_update(station=street.a.point, resident_deputies=[*street.a.point.resident_deputies.all(), deputy])


@pytest.mark.parametrize("who", ["office", "staff_a"])
def test_deputy_list_query_count_is_constant(street, folks, who, django_assert_num_queries):
    """Listing deputies costs four queries whatever the number of rows.

    force_authenticate skips the session and user lookups; the role scope is a subquery inside
    the main query. The four: 1 COUNT for the paginator, 1 SELECT of the page, 1 prefetch of the
    terms, 1 prefetch of the groups. Masking phones needs no query. Staff first read their stations'
    ids (one small query), matched as literals in the scope.
    """
    client = client_for(getattr(folks, who))
    for total in (10, 100):
        _grow_to(total, street)
        with django_assert_num_queries(4 if who == "office" else 5):
            response = client.get(URL)
        expected = total if who == "office" else total - 1  # staff of A do not see B's deputy
        assert response.json()["count"] == expected


# --- the list's rows are built without the serializer, with the same content ------------------------------------


@pytest.mark.parametrize("who", ["office", "admin", "leader", "staff_a", "deputy_a", "deputy_b"])
def test_the_list_rows_equal_the_serializers_rows(street, folks, who):
    """``deputy_list_rows`` (the list endpoint's fast path) says exactly what ``DeputySerializer`` says."""
    from rest_framework.test import APIRequestFactory

    from deputies.api.serializers import DeputySerializer
    from deputies.selectors import deputies_visible_to

    _grow_to(6, street)
    Deputy.objects.filter(pk=street.a.deputy.pk).update(phone="13812345678", note="备注", birth_year=1970)
    user = getattr(folks, who)
    request = APIRequestFactory().get(URL)
    request.user = user
    listed = client_for(user).get(URL, {"page_size": 200}).json()["results"]
    deputies = deputies_visible_to(user).prefetch_related("groups").filter(pk__in=[row["id"] for row in listed])
    by_id = {d.pk: d for d in deputies}
    expected = DeputySerializer([by_id[row["id"]] for row in listed], many=True, context={"request": request}).data
    assert listed and listed == [dict(row) for row in expected]
    assert any(row["terms"] for row in listed)
    assert who != "office" or any(row["groups"] for row in listed)
