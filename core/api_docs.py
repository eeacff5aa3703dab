"""The interactive API documentation (drf-spectacular with its sidecar assets) under the site's CSP."""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

# Summaries of the write actions of the reference-data viewsets (organisation, grid assignments).
WRITE_DOCS = {
    "create": extend_schema(summary="Create (office and admin)"),
    "update": extend_schema(summary="Replace (office and admin)"),
    "partial_update": extend_schema(summary="Change (office and admin)"),
    "destroy": extend_schema(summary="Delete an entry made by mistake (office and admin; 409 when in use)"),
}


class SwaggerView(SpectacularSwaggerView):
    template_name = "api_docs/swagger_ui.html"


class RedocView(SpectacularRedocView):
    template_name = "api_docs/redoc.html"
