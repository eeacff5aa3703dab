"""Deputy and station pages: scoping (owner / colleague / outsider), filters, masking, query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputies.models import DeputyKind, Level
from deputies.services import deputy_create
from duties.models import GridRole
from duties.services.assignments import grid_assignment_create
from organisation.models import StationKind
from organisation.services import grid_create, station_create

pytestmark = pytest.mark.django_db


def names_in(response) -> set[str]:
    assert response.status_code == 200
    return {deputy.name for deputy in response.context["page_obj"]}


def station_names_in(response) -> set[str]:
    assert response.status_code == 200
    return {station.name for station in response.context["page_obj"]}


# --- deputies ------------------------------------------------------------------------------------------------


def test_office_sees_every_deputy(as_user, org):
    assert names_in(as_user("office").get("/deputies/")) == {"谭咏诗", "高德荣", "余红", "朱雪惠"}


def test_staff_see_deputies_of_their_subtree_only(as_user, org):
    # owner and rep are resident at area_a; colleague holds a grid in point_a below it.
    assert names_in(as_user("staff_a").get("/deputies/")) == {"谭咏诗", "高德荣", "朱雪惠"}
    assert names_in(as_user("staff_b").get("/deputies/")) == {"余红"}


def test_deputy_sees_self_group_and_grid_mates_only(as_user, org):
    assert names_in(as_user("owner").get("/deputies/")) == {"谭咏诗", "高德荣"}
    assert names_in(as_user("colleague").get("/deputies/")) == {"谭咏诗", "高德荣"}
    assert names_in(as_user("outsider").get("/deputies/")) == {"余红"}


def test_unit_officer_sees_no_deputy(as_user, org):
    assert names_in(as_user("unit").get("/deputies/")) == set()


@pytest.mark.parametrize(
    ("key", "status"),
    [("owner", 200), ("colleague", 200), ("outsider", 404), ("staff_a", 200), ("staff_b", 404), ("unit", 404)],
)
def test_deputy_detail_is_scoped(as_user, org, key, status):
    assert as_user(key).get(reverse("deputies:deputy_detail", args=[org.owner.pk])).status_code == status


def test_deputy_detail_shows_terms_groups_grids_and_stations(as_user, org):
    page = as_user("office").get(reverse("deputies:deputy_detail", args=[org.owner.pk])).content.decode()
    assert "县（区）级" in page and "乡镇（街道）级" in page
    assert org.group_a.name in page
    assert org.grid_a1.code in page
    assert org.area_a.name in page
    assert "13812345678" in page


def test_phone_is_masked_for_colleagues_and_shown_to_owner_and_staff(as_user, org):
    detail = reverse("deputies:deputy_detail", args=[org.owner.pk])
    colleague_page = as_user("colleague").get(detail).content.decode()
    assert "13812345678" not in colleague_page
    assert "138****5678" in colleague_page
    assert "13812345678" in as_user("owner").get(detail).content.decode()
    assert "13812345678" in as_user("staff_a").get(detail).content.decode()
    # The list follows the same rule row by row: the colleague sees their own phone in full.
    listing = as_user("colleague").get("/deputies/").content.decode()
    assert "138****5678" in listing and "13812345678" not in listing
    assert "13900001111" in listing


def test_deputy_filters(as_user, org):
    client = as_user("office")
    assert names_in(client.get("/deputies/", {"level": Level.COUNTY})) == {"谭咏诗", "高德荣"}
    assert names_in(client.get("/deputies/", {"level": Level.TOWNSHIP})) == {"谭咏诗"}
    assert names_in(client.get("/deputies/", {"kind": DeputyKind.DELIBERATION})) == {"朱雪惠"}
    assert names_in(client.get("/deputies/", {"group": org.group_a.pk})) == {"谭咏诗", "高德荣"}
    assert names_in(client.get("/deputies/", {"station": org.area_a.pk})) == {"谭咏诗", "高德荣", "朱雪惠"}
    assert names_in(client.get("/deputies/", {"station": org.area_b.pk})) == {"余红"}
    assert names_in(client.get("/deputies/", {"q": "小学"})) == {"谭咏诗"}
    assert names_in(client.get("/deputies/", {"q": "余"})) == {"余红"}


def test_level_filter_ignores_ended_terms(as_user, org):
    deputy_create(
        name="前任代表",
        terms=[{"level": Level.NATIONAL, "congress": "第十三届全国人民代表大会", "start_year": 2018, "end_year": 2022}],
    )
    assert names_in(as_user("office").get("/deputies/", {"level": Level.NATIONAL})) == set()


def test_station_filter_offers_only_visible_stations(as_user, org):
    client = as_user("staff_a")
    response = client.get("/deputies/", {"station": org.area_b.pk})
    assert response.status_code == 200
    assert response.context["filter"].form.errors  # not a choice for this user
    choices = {station.name for station in response.context["filter"].form.fields["station"].queryset}
    assert choices == {org.area_a.name, org.point_a.name}


def test_bad_filter_values_give_a_chinese_error_not_a_500(as_user, org):
    client = as_user("office")
    for params in ({"level": "galactic"}, {"group": "abc"}, {"station": "999999"}, {"page": "x"}, {"page": "999"}):
        response = client.get("/deputies/", params)
        assert response.status_code == 200, params
    page = client.get("/deputies/", {"level": "galactic"}).content.decode()
    assert "选择一个有效的选项" in page


def test_pagination_keeps_filters(as_user, org):
    for number in range(25):
        county = {"level": Level.COUNTY, "congress": "区人大", "start_year": 2021}
        deputy_create(name=f"代表{number:02d}", terms=[county])
    response = as_user("office").get("/deputies/", {"level": Level.COUNTY})
    page = response.content.decode()
    assert response.context["page_obj"].paginator.count == 27
    assert "?level=county&amp;page=2" in page


# --- stations ------------------------------------------------------------------------------------------------------


def test_station_list_is_scoped(as_user, org):
    everything = {"白沙街道代表之家", "范罗岗片区实践站", "兴盛片区实践站", "范罗岗社区实践点", "兴盛社区实践点"}
    assert station_names_in(as_user("office").get("/stations/")) == everything
    assert station_names_in(as_user("staff_a").get("/stations/")) == {"范罗岗片区实践站", "范罗岗社区实践点"}
    # The owner is resident at area_a and holds a grid in point_a; the outsider the same on the b side.
    assert station_names_in(as_user("owner").get("/stations/")) == {"范罗岗片区实践站", "范罗岗社区实践点"}
    assert station_names_in(as_user("outsider").get("/stations/")) == {"兴盛片区实践站", "兴盛社区实践点"}
    assert station_names_in(as_user("unit").get("/stations/")) == set()


def test_stations_are_listed_in_tree_order_with_counts(as_user, org):
    stations = list(as_user("office").get("/stations/").context["page_obj"])
    assert [station.kind for station in stations] == ["hub", "area", "area", "point", "point"]
    hub = stations[0]
    assert hub.grid_count == 3  # every grid below the hub
    area_a = next(station for station in stations if station.pk == org.area_a.pk)
    assert (area_a.resident_count, area_a.grid_count) == (2, 2)


@pytest.mark.parametrize(
    ("key", "status"),
    [("owner", 200), ("outsider", 404), ("staff_a", 200), ("staff_b", 404), ("unit", 404), ("office", 200)],
)
def test_station_detail_is_scoped(as_user, org, key, status):
    assert as_user(key).get(reverse("liaison:station_detail", args=[org.point_a.pk])).status_code == status


def test_station_detail_shows_tree_hours_residents_and_grids(as_user, org):
    page = as_user("office").get(reverse("liaison:station_detail", args=[org.area_a.pk])).content.decode()
    assert org.area_a.address in page
    assert org.hub.name in page and org.point_a.name in page  # the tree, up and down
    assert org.owner.name in page and org.rep.name in page  # resident deputies
    assert org.community_a.name in page and org.centre_a.name in page  # from the point below
    assert org.grid_a1.code in page and org.grid_a2.code in page
    assert "未配网格长" in page  # grid_a2
    assert org.grid_b1.code not in page


def test_deputy_sees_only_own_grids_on_a_station_page(as_user, org):
    page = as_user("owner").get(reverse("liaison:station_detail", args=[org.point_a.pk])).content.decode()
    assert org.grid_a1.code in page
    assert org.grid_a2.code not in page


def test_station_filters(as_user, org):
    client = as_user("office")
    points = station_names_in(client.get("/stations/", {"kind": StationKind.POINT}))
    assert points == {"范罗岗社区实践点", "兴盛社区实践点"}
    within = station_names_in(client.get("/stations/", {"within": org.area_b.pk}))
    assert within == {"兴盛片区实践站", "兴盛社区实践点"}
    assert station_names_in(client.get("/stations/", {"q": "兴盛路"})) == {"兴盛片区实践站"}
    assert client.get("/stations/", {"within": "nope", "kind": "castle"}).status_code == 200


# --- query counts ---------------------------------------------------------------------------------------------------


def add_deputies(org, count: int, start: int = 0) -> None:
    """Deputies with two terms, a group and a grid each, so every prefetch has rows to load."""
    for number in range(start, start + count):
        deputy = deputy_create(
            name=f"加{number:03d}",
            phone=f"1350000{number:04d}",
            terms=[
                {"level": Level.COUNTY, "congress": "区人大", "start_year": 2021},
                {"level": Level.TOWNSHIP, "congress": "街道人大", "start_year": 2021},
            ],
            groups=[org.group_a],
        )
        grid = grid_create(centre=org.centre_a, name=f"加网格{number:03d}", code=f"X-{number:03d}")
        grid_assignment_create(grid=grid, deputy=deputy, role=GridRole.LEADER, start_date=date(2024, 1, 1))


def add_stations(org, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        station_create(name=f"加点{number:03d}", kind=StationKind.POINT, parent=org.area_a, address=f"{number}号")


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("key", ["office", "staff_a"])
def test_deputy_list_query_count_is_the_same_at_10_and_100_rows(as_user, org, key):
    # Session and user; the group and station choices of the filter form; the count; the page;
    # the page's terms and groups (prefetched) — a fixed number whatever the number of rows.
    client = as_user(key)
    add_deputies(org, 10)
    few = count_queries(client, "/deputies/")
    filtered_few = count_queries(client, "/deputies/", {"level": Level.COUNTY, "group": org.group_a.pk})
    add_deputies(org, 90, start=10)
    assert count_queries(client, "/deputies/") == few
    assert count_queries(client, "/deputies/", {"level": Level.COUNTY, "group": org.group_a.pk}) == filtered_few


@pytest.mark.parametrize("key", ["office", "staff_a"])
def test_station_list_query_count_is_the_same_at_10_and_100_rows(as_user, org, key):
    # Session, user, the "within" choices, the count and the page (its counts are subqueries).
    client = as_user(key)
    add_stations(org, 10)
    few = count_queries(client, "/stations/")
    add_stations(org, 90, start=10)
    assert count_queries(client, "/stations/") == few


def test_station_detail_query_count_does_not_grow_with_grids(as_user, org):
    client = as_user("office")
    url = reverse("liaison:station_detail", args=[org.area_a.pk])
    add_deputies(org, 10)
    few = count_queries(client, url)
    add_deputies(org, 90, start=10)
    assert count_queries(client, url) == few


def test_home_query_count_does_not_grow_with_rows(as_user, org):
    client = as_user("leader")
    add_deputies(org, 10)
    add_stations(org, 10)
    few = count_queries(client, "/")
    add_deputies(org, 90, start=10)
    add_stations(org, 90, start=10)
    assert count_queries(client, "/") == few
