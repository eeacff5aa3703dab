"""The role-scoping skeleton (``core.scoping``) and the station subtree (``Station.objects.within``)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from core.roles import Role
from core.scoping import ALL, scope_q, scoped, staff_station_q, station_or_ancestor_q
from organisation.models import Community, Station, StationKind, subtree_q
from tests.builders.streets import build_street, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def street():
    return build_street()


@pytest.fixture
def folks(make_user, street):
    return people(make_user, street)


def names(queryset) -> list[str]:
    return sorted(queryset.values_list("name", flat=True))


ALL_STATIONS = ["A片区实践站", "A社区实践点", "B片区实践站", "B社区实践点", "代表之家"]


def by_name(name: str):
    """A rule matching the one station called ``name``."""
    return lambda user: Q(name=name)


RULES = {"staff": by_name("A片区实践站"), "deputy": by_name("A社区实践点"), "unit_officer": by_name("代表之家")}


# --- scoped: each branch -----------------------------------------------------------------------------------


def test_anonymous_users_see_nothing(street):
    assert names(scoped(AnonymousUser(), Station.objects.all(), **RULES)) == []
    assert names(scoped(None, Station.objects.all(), **RULES)) == []


def test_inactive_users_see_nothing_whatever_their_role(make_user, street):
    for role, links in (
        (Role.OFFICE, {}),
        (Role.STATION_STAFF, {"stations": [street.a.station]}),
        (Role.DEPUTY, {"deputy": street.a.deputy}),
    ):
        user = make_user(role, **links)
        user.is_active = False
        user.save(update_fields=["is_active"])
        assert names(scoped(user, Station.objects.all(), staff=ALL, deputy=ALL, unit_officer=ALL)) == []


def test_office_leaders_and_admins_see_everything(street, folks):
    for user in (folks.office, folks.leader, folks.admin):
        assert names(scoped(user, Station.objects.all(), **RULES)) == ALL_STATIONS
        # The rules of the other roles do not apply to them; their own rule does.
        assert names(scoped(user, Station.objects.all(), everything=by_name("代表之家"))) == ["代表之家"]


def test_each_role_sees_what_its_rule_matches(street, folks):
    assert names(scoped(folks.staff_a, Station.objects.all(), **RULES)) == ["A片区实践站"]
    assert names(scoped(folks.deputy_a, Station.objects.all(), **RULES)) == ["A社区实践点"]
    assert names(scoped(folks.unit_officer, Station.objects.all(), **RULES)) == ["代表之家"]


def test_the_rule_receives_the_user(street, folks):
    seen = []

    def rule(user):
        seen.append(user)
        return Q(staff=user)

    assert names(scoped(folks.staff_a, Station.objects.all(), staff=rule)) == ["A片区实践站"]
    assert seen == [folks.staff_a]


def test_a_role_without_a_rule_sees_nothing(street, folks):
    for user in (folks.staff_a, folks.deputy_a, folks.unit_officer):
        assert names(scoped(user, Station.objects.all())) == []


def test_all_lets_a_role_see_every_row(street, folks):
    assert names(scoped(folks.staff_a, Station.objects.all(), staff=ALL)) == ALL_STATIONS
    assert names(scoped(folks.deputy_a, Station.objects.all(), deputy=ALL)) == ALL_STATIONS
    assert names(scoped(folks.unit_officer, Station.objects.all(), unit_officer=ALL)) == ALL_STATIONS


def test_a_deputy_or_unit_officer_account_without_its_link_sees_nothing(street, folks):
    deputy, officer = folks.deputy_a, folks.unit_officer
    deputy.deputy_id = None  # not saved: the database refuses such an account
    officer.unit_id = None
    assert names(scoped(deputy, Station.objects.all(), deputy=ALL)) == []
    assert names(scoped(officer, Station.objects.all(), unit_officer=ALL)) == []


def test_a_superuser_counts_as_an_admin(make_user, street):
    user = make_user(Role.STATION_STAFF, stations=[street.a.station])
    user.is_superuser = True
    assert names(scoped(user, Station.objects.all(), **RULES)) == ALL_STATIONS


def test_scoping_runs_no_query(street, folks, django_assert_num_queries):
    with django_assert_num_queries(0):
        for user in (AnonymousUser(), folks.office, folks.staff_a, folks.deputy_a, folks.unit_officer):
            scoped(user, Station.objects.all(), **RULES)


# --- scoped: distinct rows -----------------------------------------------------------------------------------


def test_multi_valued_joins_go_through_an_id_subquery(street, folks, make_user):
    # Two staff of station A: joining the staff relation would list station A twice.
    make_user(Role.STATION_STAFF, stations=[street.a.station])
    rule = {"staff": lambda user: Q(staff__role=Role.STATION_STAFF)}

    distinct = scoped(folks.staff_a, Station.objects.all(), **rule)
    assert sorted(distinct.values_list("name", flat=True)) == ["A片区实践站", "B片区实践站"]
    assert "IN (SELECT" in str(distinct.query)

    direct = scoped(folks.staff_a, Station.objects.all(), **rule, distinct=False)
    assert sorted(direct.values_list("name", flat=True)) == ["A片区实践站", "A片区实践站", "A片区实践站", "B片区实践站"]
    assert "IN (SELECT" not in str(direct.query)


def test_distinct_may_name_the_roles_that_need_the_subquery(street, folks):
    staff_and_deputy = {"staff": by_name("A片区实践站"), "deputy": by_name("A社区实践点")}
    staff = scoped(folks.staff_a, Station.objects.all(), **staff_and_deputy, distinct=[Role.DEPUTY])
    deputy = scoped(folks.deputy_a, Station.objects.all(), **staff_and_deputy, distinct=[Role.DEPUTY])
    assert "IN (SELECT" not in str(staff.query)
    assert "IN (SELECT" in str(deputy.query)
    assert names(staff) == ["A片区实践站"]
    assert names(deputy) == ["A社区实践点"]


def test_the_subquery_keeps_the_querysets_own_loading(street, folks, django_assert_num_queries):
    stations = scoped(folks.staff_a, Station.objects.select_related("parent"), staff=staff_station_q)
    with django_assert_num_queries(1):
        assert sorted(station.parent.name for station in stations) == ["A片区实践站", "代表之家"]


# --- scope_q ------------------------------------------------------------------------------------------------


def test_scope_q_follows_the_same_branches(make_user, street, folks):
    inactive = make_user(Role.STATION_STAFF, stations=[street.a.station])
    inactive.is_active = False
    nothing = Q(pk__in=[])
    assert scope_q(AnonymousUser(), **RULES) == nothing
    assert scope_q(inactive, **RULES) == nothing
    assert scope_q(folks.office, **RULES) is None
    assert scope_q(folks.staff_a, **RULES) == Q(name="A片区实践站")
    assert scope_q(folks.deputy_a, **RULES) == Q(name="A社区实践点")
    assert scope_q(folks.unit_officer, **RULES) == Q(name="代表之家")
    assert scope_q(folks.staff_a) == nothing
    assert scope_q(folks.staff_a, staff=ALL) is None


# --- the station tree ---------------------------------------------------------------------------------------


def test_staff_see_their_stations_and_everything_below(street, folks, make_user):
    assert names(Station.objects.filter(staff_station_q(folks.staff_a)).distinct()) == ["A片区实践站", "A社区实践点"]
    hub_staff = make_user(Role.STATION_STAFF, stations=[street.hub])
    assert names(Station.objects.filter(staff_station_q(hub_staff)).distinct()) == ALL_STATIONS


def test_staff_station_q_and_subtree_q_walk_the_same_path_up():
    assert staff_station_q("someone", "station__") == station_or_ancestor_q("station__", "staff", "someone")
    assert subtree_q(7, "station__") == station_or_ancestor_q("station__", "id", 7)
    assert station_or_ancestor_q("", "id", 7) == Q(id=7) | Q(parent__id=7) | Q(parent__parent__id=7)


def test_within_a_hub_is_the_whole_tree(street):
    assert names(Station.objects.within(street.hub)) == ALL_STATIONS


def test_within_an_area_is_the_area_and_its_points(street):
    assert names(Station.objects.within(street.a.station)) == ["A片区实践站", "A社区实践点"]


def test_within_a_point_is_the_point_itself(street):
    assert names(Station.objects.within(street.b.point)) == ["B社区实践点"]


def test_within_takes_an_id_or_an_instance(street):
    for station in (street.hub, street.a.station, street.a.point):
        assert names(Station.objects.within(station.pk)) == names(Station.objects.within(station))


def test_within_chains_on_a_filtered_queryset(street):
    assert names(Station.objects.filter(kind=StationKind.POINT).within(street.hub)) == ["A社区实践点", "B社区实践点"]


def test_subtree_q_follows_a_prefix(street):
    communities = Community.objects.filter(subtree_q(street.a.station, "station__"))
    assert sorted(communities.values_list("name", flat=True)) == ["A社区"]
    everywhere = Community.objects.filter(subtree_q(street.hub.pk, "station__"))
    assert sorted(everywhere.values_list("name", flat=True)) == ["A社区", "B社区"]


# --- the staff's station ids (organisation.selectors.staff_station_ids) ----------------------------------


@pytest.mark.parametrize(
    ("attached", "expected"),
    [
        (["hub"], ALL_STATIONS),
        (["a"], ["A片区实践站", "A社区实践点"]),
        (["a_point"], ["A社区实践点"]),
        (["a_point", "b"], ["A社区实践点", "B片区实践站", "B社区实践点"]),
    ],
)
def test_staff_station_ids_are_the_subtree_staff_station_q_describes(make_user, street, attached, expected):
    from organisation.selectors import staff_station_ids

    places = {"hub": street.hub, "a": street.a.station, "a_point": street.a.point, "b": street.b.station}
    user = make_user(Role.STATION_STAFF, stations=[places[name] for name in attached])
    ids = staff_station_ids(user)
    assert names(Station.objects.filter(pk__in=ids)) == expected
    assert sorted(ids) == sorted(Station.objects.filter(staff_station_q(user)).values_list("id", flat=True))
    assert len(ids) == len(set(ids))
