"""seed_city: a whole city's data, in the expected amounts, valid under the database's constraints."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import User
from core.roles import Role
from demo.management.commands.seed_city import CITY_PASSWORD
from deputies.models import Deputy
from liaison.models import Opinion, OpinionOutcome, Visit
from organisation.models import Grid, Station, StationKind
from suggestions.models import Assignment, Evaluation, Reply, State, Suggestion

SCALE = 0.002


@pytest.fixture
def city(db, settings):
    settings.DEBUG = True
    # The database's constraints are checked on every insert: an invalid row would raise here.
    call_command("seed_city", "--scale", str(SCALE), verbosity=0)


def test_counts_and_spread_follow_the_scale(city):
    # 1 street of 1 hub, 4 areas and 15 points; figures at scale 1 times 0.002 (with small minimums).
    assert Counter(Station.objects.values_list("kind", flat=True)) == {
        StationKind.HUB: 1,
        StationKind.AREA: 4,
        StationKind.POINT: 15,
    }
    assert Grid.objects.count() == 45
    assert Deputy.objects.count() == 10
    assert Visit.objects.count() == 1400
    assert Opinion.objects.count() == 2000
    assert Suggestion.objects.count() == 360
    assert User.objects.filter(role=Role.STATION_STAFF).count() == 4
    # Spread over every suggestion state, every opinion outcome and several years.
    assert set(Suggestion.objects.values_list("state", flat=True)) == set(State.values)
    assert set(Opinion.objects.values_list("outcome", flat=True)) == {None, *OpinionOutcome.values}
    assert len({d.year for d in Opinion.objects.values_list("received_on", flat=True)}) >= 4
    assert len({d.year for d in Suggestion.objects.values_list("created_at", flat=True)}) >= 4
    # The lifecycle rows follow the state.
    closed = Suggestion.objects.filter(state=State.CLOSED)
    assert Reply.objects.filter(suggestion__in=closed).values("suggestion").distinct().count() == closed.count()
    assert Evaluation.objects.filter(suggestion__in=closed, is_final=True).count() == closed.count()
    assert not Assignment.objects.filter(suggestion__state=State.DRAFT).exists()


def test_refuses_a_database_with_data_unless_appending(city):
    with pytest.raises(CommandError, match="--append"):
        call_command("seed_city", "--scale", str(SCALE), verbosity=0)
    call_command("seed_city", "--scale", str(SCALE), "--append", verbosity=0)
    assert Station.objects.count() == 40
    assert Opinion.objects.count() == 4000


@pytest.mark.django_db
def test_refuses_without_debug_or_the_explicit_flag(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="i-know-this-is-not-production"):
        call_command("seed_city", "--scale", str(SCALE), verbosity=0)
    assert not Station.objects.exists()
    call_command("seed_city", "--scale", str(SCALE), "--i-know-this-is-not-production", verbosity=0)
    assert Station.objects.count() == 20


def _token(username: str) -> str:
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": CITY_PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.mark.parametrize("username", ["city_office", "city_staff_0001"])
def test_main_lists_answer_on_it(city, client, username):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(username)}")
    for url in ("/api/v1/opinions/", "/api/v1/visits/", "/api/v1/suggestions/", "/api/v1/stats/stations/"):
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:300])
    first = api.get("/api/v1/opinions/").json()
    assert first["results"] and first["next"]
    assert api.get(first["next"]).json()["results"]
    client.force_login(User.objects.get(username=username))
    pages = ["/stations/reception/opinions/", "/suggestions/", "/stations/reception/dashboard/"]
    if username == "city_office":
        pages.append("/reports/dashboard/")
    for url in pages:
        assert client.get(url).status_code == 200, url
