"""The OpenAPI schema and the interactive docs: served, complete for the organisation API, no CDN."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.routers import SimpleRouter

from accounts.api.views import TokenRevokeView, TokenView, UserViewSet
from deputies.api.views import DeputyGroupViewSet, DeputyViewSet
from duties.api.assignments import GridAssignmentViewSet
from liaison.api.views import StationViewSet
from organisation.api.views import CommunityViewSet, GridCentreViewSet, GridViewSet

ORGANISATION_PATHS = {
    "/api/v1/auth/token/",
    "/api/v1/auth/token/revoke/",
    "/api/v1/users/",
    "/api/v1/users/{id}/",
    "/api/v1/users/{id}/deactivate/",
    "/api/v1/users/{id}/reactivate/",
    "/api/v1/users/{id}/revoke-tokens/",
    "/api/v1/deputies/",
    "/api/v1/deputies/{id}/",
    "/api/v1/deputy-groups/",
    "/api/v1/deputy-groups/{id}/",
    "/api/v1/stations/",
    "/api/v1/stations/{id}/",
    "/api/v1/communities/",
    "/api/v1/communities/{id}/",
    "/api/v1/grid-centres/",
    "/api/v1/grid-centres/{id}/",
    "/api/v1/grids/",
    "/api/v1/grids/{id}/",
    "/api/v1/grid-assignments/",
    "/api/v1/grid-assignments/{id}/",
}


@pytest.mark.django_db
def test_the_schema_is_served_and_lists_the_organisation_api(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert ORGANISATION_PATHS <= set(schema["paths"])
    deputies = schema["paths"]["/api/v1/deputies/"]
    assert {"get", "post"} <= set(deputies)
    filters = {parameter["name"] for parameter in deputies["get"]["parameters"]}
    assert {"level", "kind", "group", "station", "grid", "active", "q", "page"} <= filters
    assert "Token" in str(schema["components"]["securitySchemes"])
    # The default (YAML) rendering works too.
    assert client.get("/api/schema/").status_code == 200


def test_the_organisation_api_generates_without_warnings():
    """Generate the schema of exactly these views, so a warning here is ours and not another app's."""
    router = SimpleRouter()
    for prefix, viewset in [
        ("users", UserViewSet),
        ("deputies", DeputyViewSet),
        ("deputy-groups", DeputyGroupViewSet),
        ("stations", StationViewSet),
        ("communities", CommunityViewSet),
        ("grid-centres", GridCentreViewSet),
        ("grids", GridViewSet),
        ("grid-assignments", GridAssignmentViewSet),
    ]:
        router.register(prefix, viewset, basename=prefix)
    tokens = [path("auth/token/", TokenView.as_view()), path("auth/token/revoke/", TokenRevokeView.as_view())]
    patterns = [path("api/v1/", include([*tokens, *router.urls]))]

    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)

    assert set(schema["paths"]) == ORGANISATION_PATHS
    assert not GENERATOR_STATS._warn_cache, dict(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._error_cache)


@pytest.mark.django_db
def test_the_docs_are_served_from_local_assets_only(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not shipped with the application"
    # Swagger UI's validator badge would send the schema to validator.swagger.io: switched off.
    assert '"validatorUrl": null' in html
