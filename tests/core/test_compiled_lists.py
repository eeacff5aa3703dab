"""``CompiledListSerializer`` gives exactly what DRF's ``ListSerializer`` gives, on every API list of the demo street.

Every ``…-list`` route of the API is read by every demo account (and the first rows' details, whose nested
lists are compiled too), once as the product serves it and once with DRF's plain list serialization; the
two JSON bodies must be identical.
"""

import pytest
from django.urls import get_resolver, reverse
from rest_framework import serializers
from rest_framework.test import APIClient

from accounts.models import User
from core.serializers import CompiledListSerializer
from demo.builders.accounts import DEMO_USERS


@pytest.fixture(scope="module")
def _demo_street(demo_street_module):
    """The demo street, built once for this module (``demo_street_module``)."""


def _list_routes() -> list[str]:
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str) and name.endswith("-list")}
    routes = []
    for name in sorted(names):
        try:
            url = reverse(name)
        except Exception:  # a list nested under another object's id
            continue
        if url.startswith("/api/"):
            routes.append(url)
    return routes


def _bodies(client, url: str) -> list:
    response = client.get(url, {"page_size": 100})
    bodies = [(url, response.status_code, response.json() if response.status_code == 200 else None)]
    if response.status_code != 200:
        return bodies
    data = response.json()
    rows = data.get("results", data) if isinstance(data, dict) else data
    for row in rows[:3] if isinstance(rows, list) else []:
        if isinstance(row, dict) and "id" in row:
            detail = client.get(f"{url}{row['id']}/")
            bodies.append((detail.request["PATH_INFO"], detail.status_code, detail.json()))
    return bodies


def test_the_api_lists_are_routed_through_the_compiled_serializer():
    from liaison.api.reception_serializers import OpinionSerializer
    from suggestions.api.serializers import SuggestionListSerializer

    assert type(OpinionSerializer(many=True)) is CompiledListSerializer
    assert type(SuggestionListSerializer(many=True)) is CompiledListSerializer


@pytest.mark.django_db
def test_compiled_lists_equal_drf_lists_for_every_route_and_role(_demo_street, monkeypatch):
    routes = _list_routes()
    assert {"/api/v1/opinions/", "/api/v1/visits/", "/api/v1/suggestions/", "/api/v1/deputies/"} <= set(routes)
    compared_rows = 0
    for username in [user.username for user in DEMO_USERS]:
        client = APIClient()
        client.force_authenticate(User.objects.get(username=username))
        for url in routes:
            compiled = _bodies(client, url)
            with monkeypatch.context() as patch:
                patch.setattr(CompiledListSerializer, "to_representation", serializers.ListSerializer.to_representation)
                plain = _bodies(client, url)
            assert compiled == plain, (username, url)
            compared_rows += sum(len(body.get("results", [])) for _, _, body in compiled if isinstance(body, dict))
    assert compared_rows > 500
