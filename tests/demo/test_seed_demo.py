"""The demo street: believable, complete, idempotent, and every demo account can log in."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.roles import Role
from demo.builders.accounts import DEMO_USERS
from deputies.models import ConstituentLink, ContactLink, Deputy, DeputyGroup, DeputyKind, GroupKind, Term
from duties.models import GridAssignment, GridRole, VoterContact
from notifications.models import Notification
from organisation.models import Community, Grid, GridCentre, HandlingUnit, Station, StationKind, UnitKind
from suggestions.models import State, Suggestion

MODELS = [
    Station,
    Community,
    GridCentre,
    Grid,
    GridAssignment,
    Deputy,
    Term,
    DeputyGroup,
    ContactLink,
    ConstituentLink,
    HandlingUnit,
    User,
    VoterContact,
    Notification,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def _demo_street(demo_street_module):
    """The demo street, built once for this module (``demo_street_module``)."""


@pytest.fixture
def demo(_demo_street, db):
    """Each test runs in a savepoint inside the module's transaction, so it cannot disturb the others."""


def test_running_the_command_twice_changes_nothing(demo):
    first = _counts()
    first_memberships = DeputyGroup.members.through.objects.count()
    first_residents = Station.resident_deputies.through.objects.count()
    call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
    assert _counts() == first
    assert DeputyGroup.members.through.objects.count() == first_memberships
    assert Station.resident_deputies.through.objects.count() == first_residents
    assert first == {
        "Station": 13,
        "Community": 8,
        "GridCentre": 10,
        "Grid": 40,
        "GridAssignment": first["GridAssignment"],
        "Deputy": 62,
        "Term": first["Term"],
        "DeputyGroup": 8,
        "ContactLink": first["ContactLink"],
        "ConstituentLink": first["ConstituentLink"],
        "HandlingUnit": 19,
        "User": first["User"],
        "VoterContact": first["VoterContact"],
        "Notification": first["Notification"],
    }
    # One account per role; other parts of the demo may add their own (e.g. more unit officers).
    assert User.objects.filter(username__in=[u.username for u in DEMO_USERS]).count() == len(DEMO_USERS)


def test_the_street_has_a_one_four_n_station_tree(demo):
    kinds = Counter(Station.objects.values_list("kind", flat=True))
    assert kinds == {StationKind.HUB: 1, StationKind.AREA: 4, StationKind.POINT: 8}
    hub = Station.objects.get(kind=StationKind.HUB)
    assert set(Station.objects.filter(kind=StationKind.AREA).values_list("parent", flat=True)) == {hub.id}
    for point in Station.objects.filter(kind=StationKind.POINT).select_related("parent"):
        assert point.parent.kind == StationKind.AREA
    assert all(station.resident_deputies.exists() for station in Station.objects.all())


def test_deputies_span_five_levels_with_overlaps_and_deliberation_representatives(demo):
    levels_per_deputy = Counter()
    for deputy in Deputy.objects.prefetch_related("terms"):
        levels_per_deputy[tuple(sorted(term.level for term in deputy.terms.all()))] += 1
    held = {level for levels in levels_per_deputy for level in levels}
    assert held == {"national", "provincial", "municipal", "county", "township"}
    assert levels_per_deputy[("county", "township")] >= 5  # 区、镇两级代表
    assert Deputy.objects.filter(kind=DeputyKind.DELIBERATION).count() >= 8
    assert not Term.objects.filter(deputy__kind=DeputyKind.DELIBERATION).exists()
    names = list(Deputy.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    assert all(2 <= len(name) <= 3 for name in names)
    phones = Deputy.objects.values_list("phone", flat=True)
    assert all(len(phone) == 11 and phone.startswith("1") and phone.isdigit() for phone in phones)


def test_grids_have_one_leader_each_and_both_working_modes(demo):
    assert GridCentre.objects.annotate(n=Count("grids")).filter(n=0).count() == 0
    leaders = GridAssignment.objects.filter(role=GridRole.LEADER, end_date__isnull=True)
    assert leaders.values("grid").distinct().count() == Grid.objects.count() == leaders.count()
    assert GridAssignment.objects.filter(role=GridRole.MEMBER).exists()
    assert set(GridAssignment.objects.values_list("mode", flat=True)) == {"full_time", "part_time"}


def test_groups_and_contact_links_follow_the_rules(demo):
    assert DeputyGroup.objects.filter(kind=GroupKind.AREA).count() == 4
    professions = set(DeputyGroup.objects.filter(kind=GroupKind.PROFESSION).values_list("name", flat=True))
    assert {"教育代表小组", "心理健康代表小组"} <= professions
    assert not DeputyGroup.objects.annotate(n=Count("members")).filter(n=0).exists()
    committee = Deputy.objects.filter(is_standing_committee=True).annotate(n=Count("contact_links"))
    assert committee.count() >= 3
    assert all(5 <= member.n <= 8 for member in committee)
    fewer_than_five = Deputy.objects.annotate(n=Count("constituent_links")).filter(n__lt=5)
    assert not fewer_than_five.exists()


def test_handling_units_cover_departments_communities_and_the_street_office(demo):
    kinds = Counter(HandlingUnit.objects.values_list("kind", flat=True))
    assert kinds[UnitKind.DEPARTMENT] >= 5
    assert kinds[UnitKind.COMMUNITY] == 8
    assert kinds[UnitKind.STREET_OFFICE] == 1


def test_one_account_per_role_linked_to_its_records(demo):
    users = {user.role: user for user in User.objects.filter(username__in=[u.username for u in DEMO_USERS])}
    assert set(users) == set(Role.values)
    assert users[Role.STATION_STAFF].stations.filter(kind=StationKind.AREA).count() == 1
    deputy = users[Role.DEPUTY].deputy
    assert deputy is not None
    assert deputy.grid_assignments.filter(role=GridRole.LEADER).exists()
    assert deputy.committee_contacts.exists() and deputy.groups.exists()
    assert users[Role.UNIT_OFFICER].unit is not None
    assert users[Role.ADMIN].is_superuser
    assert not User.objects.filter(Q(is_superuser=True) & ~Q(role=Role.ADMIN)).exists()


@pytest.mark.parametrize("demo_user", DEMO_USERS, ids=lambda u: u.role)
def test_every_demo_user_logs_in_and_gets_a_home_page(client, demo, demo_user):
    assert len(demo_user.password) >= 12
    response = client.post(reverse("accounts:login"), {"username": demo_user.username, "password": demo_user.password})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session.get("_auth_user_id") == str(User.objects.get(username=demo_user.username).pk)
    home = client.get(response.url)
    assert home.status_code == 200


def test_deputies_contact_voters_some_above_and_some_below_ten_a_year(demo):
    last_year = timezone.localdate().year - 1
    featured = User.objects.get(username="demo_deputy")
    counts = Counter(VoterContact.objects.filter(date__year=last_year).values_list("deputy_id", flat=True))
    assert counts[featured.deputy_id] >= 10
    assert any(n < 10 for n in counts.values()) and any(n >= 10 for n in counts.values())
    assert VoterContact.objects.filter(deputy=featured.deputy_id, recorded_by=featured).exists()


def test_inboxes_hold_what_is_due_now_not_the_replayed_history(demo):
    verbs = Counter(Notification.objects.values_list("verb", flat=True))
    # The scripted lifecycle's notices (written at seeding time) are gone; the sweeps' reminders remain.
    assert not [verb for verb in verbs if verb.startswith("suggestion.")], verbs
    assert verbs["reminder.suggestion_overdue"] >= 1
    submitted = Suggestion.objects.filter(state=State.SUBMITTED, assign_due__lt=timezone.localdate()).count()
    assert (
        verbs["reminder.suggestion_assignment_pending"]
        == submitted * User.objects.filter(role=Role.OFFICE, is_active=True).count()
    )


def test_the_office_sees_a_risk_list_with_reasons(demo, client):
    client.force_login(User.objects.get(username="demo_office"))
    page = client.get(reverse("suggestions:risk"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    # The late-prone unit's construction item, whose co-unit has not answered, heads the list.
    first_row = text[text.index("data-risk-row") :]
    first_row = first_row[: first_row.index("</tr>")]
    assert "关于改造白沙街道老旧排水管网的建议" in first_row
    assert "主办单位近一年同类建议按期率 38%" in first_row and "协办意见未到" in first_row
    assert "距答复期限" in first_row
    # Its lead unit was warned through the reminder sweep.
    assert Notification.objects.filter(
        verb="reminder.suggestion_risk_high", recipient__username="demo_unit_urban"
    ).exists()


def test_the_year_before_last_comes_from_a_ledger_whose_totals_it_shows(demo):
    import random

    from demo.builders import history
    from imports.models import BatchStatus, ImportBatch, ImportedRecord
    from liaison.selectors import station_statistics

    year = timezone.localdate().year - 2
    batch = ImportBatch.objects.get(file_name=history.ledger_name(year))
    assert batch.status == BatchStatus.IMPORTED and batch.created_count == history.ROWS
    assert ImportedRecord.objects.filter(batch=batch).count() == history.ROWS
    # The ledger as the builder wrote it (same seeded generator), added up by hand.
    rows = history.sample_rows(year, random.Random("baisha-street-demo:history"))
    station = Station.objects.filter(name=history.STAFF_STATION)
    figures = station_statistics(
        stations=station, date_from=timezone.datetime(year, 1, 1).date(), date_to=timezone.datetime(year, 12, 31).date()
    )
    assert figures == history.sample_totals(rows)
    call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
    assert ImportBatch.objects.filter(file_name=history.ledger_name(year)).count() == 1


def test_the_year_before_last_has_suggestions_from_a_ledger_whose_rates_it_shows(demo):
    from demo.builders import history
    from imports.models import BatchStatus, ImportBatch
    from suggestions.selectors import suggestion_stats

    year = timezone.localdate().year - 2
    batch = ImportBatch.objects.get(file_name=history.suggestion_ledger_name(year))
    rows = history.suggestion_rows(year)
    assert batch.status == BatchStatus.IMPORTED and batch.created_count == len(rows) == 10
    imported = Suggestion.objects.filter(imported_from__batch=batch)
    assert set(imported.values_list("state", flat=True)) == {State.CLOSED}
    # The ledger added up by hand: the year's figures are its own.
    totals = history.suggestion_totals(rows)
    assert totals["on_time"] == 7 and totals["satisfied"] == 9
    stats = suggestion_stats(User.objects.get(username="demo_office"), year=year)
    assert (stats["assigned"], stats["replied"], stats["closed"]) == (
        totals["assigned"],
        totals["replied"],
        totals["closed"],
    )
    assert stats["on_time_rate"] == round(totals["on_time"] / totals["replied"], 4)
    assert stats["satisfaction_rate"] == round(totals["satisfied"] / totals["closed"], 4)
    assert stats["reply_rate"] == stats["closure_rate"] == 1.0


def test_the_ledger_year_reads_the_same_in_the_api_the_dashboard_and_the_pdf(demo, client):
    """The year before last came from the station's ledgers: the statistics API, the report dashboard and
    that year's station PDF all show the ledgers' own totals (person-times, opinions by outcome,
    resolutions, the suggestion rates)."""
    import random

    from demo.builders import history
    from reports import documents
    from reports.templatetags.reports_tags import pct
    from tests.reports.pdf_checks import flat, page_texts

    year = timezone.localdate().year - 2
    station = Station.objects.get(name=history.STAFF_STATION)
    reception = history.sample_totals(history.sample_rows(year, random.Random("baisha-street-demo:history")))
    suggestions = history.suggestion_totals(history.suggestion_rows(year))
    rates = {
        "on_time_rate": round(suggestions["on_time"] / suggestions["replied"], 4),
        "satisfaction_rate": round(suggestions["satisfied"] / suggestions["closed"], 4),
    }
    client.force_login(User.objects.get(username="demo_office"))

    api = client.get(
        "/api/v1/stats/stations/", {"station": station.id, "date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}
    ).json()
    assert {key: api[key] for key in reception} == reception
    api_suggestions = client.get("/api/v1/stats/suggestions/", {"year": year}).json()
    assert (api_suggestions["assigned"], api_suggestions["replied"], api_suggestions["closed"]) == (
        suggestions["assigned"],
        suggestions["replied"],
        suggestions["closed"],
    )
    assert {key: api_suggestions[key] for key in rates} == rates

    page = client.get("/reports/dashboard/", {"year": year, "station": station.id}).context["data"]
    shown = page["figures"]
    assert {key: getattr(shown, key) for key in reception} == reception
    assert (page["suggestions"]["assigned"], page["suggestions"]["closed"]) == (
        suggestions["assigned"],
        suggestions["closed"],
    )
    assert {key: page["suggestions"][key] for key in rates} == rates

    result = documents.station_document(station, year).render()
    body = "".join(flat(text) for text in page_texts(result.data))
    assert (
        f"接待群众{reception['visits_person_times']}人次，收集社情民意{reception['opinions']}条，"
        f"其中现场答复{reception['answered_on_site']}条，形成意见建议{reception['escalated']}条；"
        f"推动解决{reception['resolved']}条"
    ) in body
    assert f"{suggestions['assigned']}{suggestions['replied']}{suggestions['closed']}" in body
    assert pct(rates["on_time_rate"]) in body and pct(rates["satisfaction_rate"]) in body
