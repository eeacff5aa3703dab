"""The home page of every role, built from the database."""

from datetime import date

import pytest
from django.urls import reverse

from deputies.models import Level
from duties.models import GridRole
from duties.services.assignments import grid_assignment_create, grid_assignment_update
from reports.selectors import key_figures_for

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("key", "present", "absent"),
    [
        ("staff_a", ["my-stations", "today-reception"], ["key-figures", "my-grids", "unit-inbox"]),
        ("owner", ["my-grids", "my-duties", "my-suggestions", "my-groups", "my-stations"], ["key-figures"]),
        ("office", ["key-figures", "deputies-by-level", "leaderless-grids"], ["my-grids", "administration"]),
        ("leader", ["key-figures", "stations-by-kind"], ["my-grids", "administration"]),
        ("admin", ["key-figures", "administration"], ["my-grids"]),
        ("unit", ["my-unit", "unit-inbox"], ["key-figures", "my-grids", "my-stations"]),
    ],
)
def test_each_role_gets_its_home_sections(as_user, key, present, absent):
    page = html(as_user(key).get(reverse("home")))
    for section in present:
        assert f'id="{section}"' in page, section
    for section in absent:
        assert f'id="{section}"' not in page, section


def test_staff_home_shows_own_stations_hours_and_residents_only(as_user, org):
    page = html(as_user("staff_a").get(reverse("home")))
    assert org.area_a.name in page
    assert org.area_a.address in page
    # Sub-stations are listed under the staff member's station; the other area is not.
    assert org.point_a.name in page
    assert org.area_b.name not in page
    assert org.owner.name in page and org.rep.name in page
    assert org.outsider.name not in page


def test_deputy_home_shows_grid_groups_stations_and_the_four_duties(as_user, org):
    page = html(as_user("owner").get(reverse("home")))
    assert org.grid_a1.code in page
    assert org.grid_a2.code not in page
    assert org.group_a.name in page and org.group_b.name not in page
    assert org.area_a.name in page
    for duty in ("巡网格", "社区网格例会", "调研", "述职"):
        assert duty in page
    assert "网格长" in page


def test_deputy_without_grid_is_told_so(as_user, org, users):
    page = html(as_user("outsider").get(reverse("home")))
    assert org.grid_b1.code in page
    grid_assignment_update(assignment=org.outsider.grid_assignments.get(), end_date=date.today())
    page = html(as_user("outsider").get(reverse("home")))
    assert org.grid_b1.code not in page
    assert "您尚未分配网格" in page


def test_unit_officer_home_names_the_unit(as_user, users):
    page = html(as_user("unit").get(reverse("home")))
    assert users["unit"].unit.name in page


def test_key_figures_are_counted_from_the_database(org, users):
    figures = key_figures_for(users["office"])
    assert figures.stations == 5
    assert dict((kind, n) for kind, _label, n in figures.station_kinds) == {"hub": 1, "area": 2, "point": 2}
    assert figures.grid_centres == 2
    assert figures.grids == 3
    assert figures.grids_without_leader == 1  # grid_a2
    assert figures.congress_deputies == 3
    assert figures.deliberation_representatives == 1
    by_level = {level: n for level, _label, n in figures.deputies_by_level}
    # The owner holds county and township terms at once and counts at both levels.
    assert by_level[Level.COUNTY] == 2
    assert by_level[Level.TOWNSHIP] == 1
    assert by_level[Level.MUNICIPAL] == 1
    assert sum(by_level.values()) > figures.congress_deputies
    assert figures.groups == 2
    assert figures.assigned_deputies == 3
    assert figures.leader_coverage_percent == 66


def test_key_figures_follow_new_assignments(org, users):
    grid_assignment_create(grid=org.grid_a2, deputy=org.colleague, role=GridRole.LEADER, start_date=date(2024, 1, 1))
    figures = key_figures_for(users["leader"])
    assert figures.grids_without_leader == 0
    assert figures.leader_coverage_percent == 100


def test_overview_page_shows_the_figures_and_the_leaderless_grid(as_user, org):
    page = html(as_user("leader").get(reverse("home")))
    assert org.grid_a2.code in page
    assert org.grid_a1.code not in page  # it has a leader
    assert "66% 的网格已配网格长" in page


def test_staff_home_makes_no_recent_activity_up(as_user):
    page = html(as_user("staff_a").get(reverse("home")))
    assert "最近" not in page


@pytest.mark.parametrize(
    ("key", "expected", "hidden"),
    [
        ("staff_a", ["首页", "联络站", "代表"], ["系统管理"]),
        ("owner", ["首页", "联络站", "代表"], ["系统管理"]),
        ("office", ["首页", "联络站", "代表"], ["系统管理"]),
        ("leader", ["首页", "联络站", "代表"], ["系统管理"]),
        ("admin", ["首页", "联络站", "代表", "系统管理"], []),
        ("unit", ["首页"], ["联络站", "代表", "系统管理"]),
    ],
)
def test_navigation_shows_each_role_what_it_can_use(as_user, key, expected, hidden):
    response = as_user(key).get(reverse("home"))
    labels = [str(item["label"]) for item in response.context["nav_items"]]
    for label in expected:
        assert label in labels
    for label in hidden:
        assert label not in labels


def test_navigation_targets_are_usable_by_the_role(as_user, users):
    """Every entry a role is shown opens for that role (no menu item leads to a refusal)."""
    for key in ("staff_a", "owner", "office", "leader", "admin", "unit"):
        client = as_user(key)
        for item in client.get(reverse("home")).context["nav_items"]:
            assert client.get(item["url"], follow=True).status_code == 200, (key, item["url"])


def test_role_label_and_logout_button_in_the_top_bar(as_user, users):
    page = html(as_user("staff_a").get(reverse("home")))
    assert users["staff_a"].display_name in page
    assert "联络站工作人员" in page
    assert 'action="/accounts/logout/"' in page


def test_key_figures_take_a_fixed_number_of_queries(org, users, django_assert_num_queries):
    # Stations by kind, the deputy counts, deputies by level, grid centres, grids, grids without a
    # leader, groups and deputies on grids: one aggregate query each.
    with django_assert_num_queries(8):
        key_figures_for(users["office"])
