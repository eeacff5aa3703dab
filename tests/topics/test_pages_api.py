"""The 热点 pages and /api/v1/topics/: who sees what, bad input, the actions, query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from suggestions.models import Suggestion
from suggestions.services import suggestion_submit
from topics.models import Topic, TopicMember

from .support import DOGS, ELEVATOR, FUMES, placed

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


@pytest.fixture
def today(frozen_today):
    frozen_today(TODAY)


@pytest.fixture
def topics(street, today):
    """Elevator trouble at stations A, A1 and B (two grids); dogs twice at A; fumes once."""
    elevator = [
        placed(street, ELEVATOR[0], grid=street.grid_a1),
        placed(street, ELEVATOR[1], station=street.b, grid=street.grid_b1),
        placed(street, ELEVATOR[2], station=street.a1),
    ]
    dogs = [placed(street, DOGS[0]), placed(street, DOGS[1], day=date(2026, 10, 20))]
    placed(street, FUMES)
    return {"elevator": elevator, "dogs": dogs}


def _topic(opinion):
    return TopicMember.objects.get(opinion=opinion).topic


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_office_sees_the_period_ranked_by_heat(client, street, topics):
    client.force_login(street.office)
    response = client.get("/topics/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [h.topic for h in rows] == [_topic(topics["elevator"][0])]  # dogs: one opinion in the last 30 days
    assert (rows[0].opinions, rows[0].stations, rows[0].grids) == (3, 3, 2)
    assert rows[0].heat == 3 + 2 * 2 + 1 + 3
    assert "<svg" in response.content.decode()
    longer = client.get("/topics/", {"days": 90})
    assert {h.topic for h in longer.context["rows"]} == {_topic(topics["elevator"][0]), _topic(topics["dogs"][0])}


def test_station_staff_count_only_their_own_opinions(client, street, topics):
    client.force_login(street.staff_b)
    assert client.get("/topics/").context["rows"] == []  # one elevator opinion at B: below two
    rows = _api(street.staff_b).get("/api/v1/topics/", {"min_opinions": 1}).json()
    assert [(r["topic"]["id"], r["opinions"], r["stations"]) for r in rows] == [
        (_topic(topics["elevator"][0]).pk, 1, 1)
    ]
    dogs = _topic(topics["dogs"][0])
    assert client.get(f"/topics/{dogs.pk}/").status_code == 404
    assert _api(street.staff_b).get(f"/api/v1/topics/{dogs.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["owner_user", "unit_officer"])
def test_deputies_and_unit_officers_have_no_hot_topics(client, street, topics, who):
    client.force_login(getattr(street, who))
    assert client.get("/topics/").status_code == 403
    assert _api(getattr(street, who)).get("/api/v1/topics/").status_code == 403


def test_anonymous_is_sent_to_log_in(client, topics):
    assert client.get("/topics/").status_code == 302
    assert APIClient().get("/api/v1/topics/").status_code == 401


@pytest.mark.parametrize(
    "params", [{"days": "13"}, {"date_to": "1800-01-01"}, {"date_to": "yesterday"}, {"days": "30x"}]
)
def test_bad_periods_are_a_400_in_chinese_on_the_page(client, street, topics, params):
    client.force_login(street.office)
    response = client.get("/topics/", params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"days": "13"}, {"date_to": "1800-01-01"}, {"limit": "0"}, {"limit": "101"}, {"min_opinions": "-1"}, {"x": "1"}],
)
def test_bad_parameters_are_a_400_in_the_api(street, topics, params):
    response = _api(street.office).get("/api/v1/topics/", params)
    assert response.status_code == 400


def test_topic_detail_page_and_api(client, street, topics):
    topic = _topic(topics["elevator"][0])
    client.force_login(street.office)
    page = client.get(f"/topics/{topic.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "topic-trend" in html and street.b.name in html and "topic-merge" in html
    data = _api(street.office).get(f"/api/v1/topics/{topic.pk}/").json()
    assert sorted(data["opinions"]) == sorted(o.pk for o in topics["elevator"])
    assert data["trend"][-1] == {"month": "2026-11", "opinions": 3}
    assert len(data["trend"]) == 12
    assert {s["name"] for s in data["stations"]} == {street.a.name, street.a1.name, street.b.name}


def test_the_leader_sees_no_correction_forms(client, street, topics):
    client.force_login(street.leader)
    html = client.get(f"/topics/{_topic(topics['elevator'][0]).pk}/").content.decode()
    assert "topic-merge" not in html and "split-form" not in html


def test_merge_and_split_through_the_api(street, topics):
    api = _api(street.office)
    elevator, dogs = _topic(topics["elevator"][0]), _topic(topics["dogs"][0])
    assert (
        api.post(f"/api/v1/topics/{elevator.pk}/merge/", {"others": [dogs.pk], "x": 1}, format="json").status_code
        == 400
    )
    assert api.post(f"/api/v1/topics/{elevator.pk}/merge/", {"others": [999999]}, format="json").status_code == 400
    assert api.post(f"/api/v1/topics/{elevator.pk}/merge/", {"others": ["a"]}, format="json").status_code == 400
    assert not TopicMember.objects.filter(pinned=True).exists()
    merged = api.post(f"/api/v1/topics/{elevator.pk}/merge/", {"others": [dogs.pk]}, format="json")
    assert merged.status_code == 200 and len(merged.json()["opinions"]) == 5
    split = api.post(
        f"/api/v1/topics/{elevator.pk}/split/", {"opinions": [o.pk for o in topics["dogs"]]}, format="json"
    )
    assert split.status_code == 201
    assert sorted(split.json()["opinions"]) == sorted(o.pk for o in topics["dogs"])
    refused = _api(street.staff_a).post(
        f"/api/v1/topics/{elevator.pk}/split/", {"opinions": [topics["elevator"][0].pk]}, format="json"
    )
    assert refused.status_code == 403


def test_split_and_merge_through_the_page(client, street, topics):
    client.force_login(street.office)
    elevator, dogs = _topic(topics["elevator"][0]), _topic(topics["dogs"][0])
    bad = client.post(f"/topics/{elevator.pk}/", {"action": "merge", "others": "abc"})
    assert bad.status_code == 400
    gone = client.post(f"/topics/{elevator.pk}/", {"action": "merge", "others": "999999"})
    assert gone.status_code == 400
    done = client.post(f"/topics/{elevator.pk}/", {"action": "merge", "others": f"#{dogs.pk}，"})
    assert done.status_code == 302 and not Topic.objects.filter(pk=dogs.pk).exists()
    split = client.post(f"/topics/{elevator.pk}/", {"action": "split", "opinions": [topics["elevator"][2].pk]})
    assert split.status_code == 302
    assert _topic(topics["elevator"][2]).pk != elevator.pk


def test_draft_a_suggestion_then_put_it_under_key_supervision(street, topics):
    topic = _topic(topics["elevator"][0])
    url = f"/api/v1/topics/{topic.pk}"
    assert _api(street.leader).post(f"{url}/suggestion/", {"deputy": street.owner.pk}, format="json").status_code == 403
    assert _api(street.leader).post(f"{url}/key-supervision/", {"note": "督办"}, format="json").status_code == 409
    drafted = _api(street.office).post(f"{url}/suggestion/", {"deputy": street.owner.pk}, format="json")
    assert drafted.status_code == 200
    suggestion = Suggestion.objects.get()
    assert suggestion.lead_deputy == street.owner and suggestion.state == "draft"
    assert set(suggestion.source_opinions.all()) == set(topics["elevator"])
    assert "3" in suggestion.content and ELEVATOR[0] in suggestion.content
    again = _api(street.office).post(f"{url}/suggestion/", {"deputy": street.owner.pk}, format="json")
    assert again.status_code == 409
    # A draft cannot be supervised; once submitted, the leader sets key supervision.
    assert _api(street.leader).post(f"{url}/key-supervision/", {"note": "督办"}, format="json").status_code == 409
    suggestion_submit(suggestion=suggestion, actor=street.owner_user)
    assert _api(street.leader).post(f"{url}/key-supervision/", {}, format="json").status_code == 400
    done = _api(street.leader).post(f"{url}/key-supervision/", {"note": "多个社区反映，列入重点督办"}, format="json")
    assert done.status_code == 200 and done.json()["topic"]["suggestion"]["key_supervision"] is True


def test_the_opinion_page_shows_related_opinions(client, street, topics):
    first, second, third = topics["elevator"]
    client.force_login(street.staff_a)
    html = client.get(f"/stations/reception/opinions/{first.pk}/").content.decode()
    assert "related-opinions" in html
    assert f"#{third.pk}" in html  # at A1, below A
    assert f"#{second.pk}<" not in html  # at B: not the staff's to see
    client.force_login(street.office)
    html = client.get(f"/stations/reception/opinions/{first.pk}/").content.decode()
    assert f"#{second.pk}" in html and f"/topics/{_topic(first).pk}/" in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_topics(client, street, today):
    for text in ELEVATOR:
        placed(street, text)
    client.force_login(street.office)
    small = _queries(client, "/topics/")
    api = _api(street.office)
    with CaptureQueriesContext(connection) as api_small:
        api.get("/api/v1/topics/")
    topic = Topic.objects.get()
    detail_small = _queries(client, f"/topics/{topic.pk}/")
    for i in range(6):
        placed(street, f"{DOGS[i % 2]}（{i}号楼）")
        placed(street, f"{FUMES}（{i}号楼）", station=street.b)
    assert Topic.objects.filter(size__gte=2).count() >= 3
    assert _queries(client, "/topics/") == small
    with CaptureQueriesContext(connection) as api_large:
        api.get("/api/v1/topics/")
    assert len(api_large) == len(api_small)
    assert _queries(client, f"/topics/{topic.pk}/") == detail_small


def test_unknown_and_absurd_topic_numbers_are_404(client, street, topics):
    client.force_login(street.office)
    for pk in ("999999", "99999999999999999999"):
        assert client.get(f"/topics/{pk}/").status_code == 404
        assert _api(street.office).get(f"/api/v1/topics/{pk}/").status_code == 404
    assert _api(street.office).get("/api/v1/topics/abc/").status_code == 404


def test_a_deputy_sees_related_opinions_without_a_link_to_the_hot_pages(client, street, topics):
    client.force_login(street.owner_user)
    html = client.get(f"/stations/reception/opinions/{topics['elevator'][0].pk}/").content.decode()
    assert "related-opinions" in html and "/topics/" not in html
