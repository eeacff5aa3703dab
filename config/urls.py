from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from core.api_docs import RedocView, SwaggerView

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("organisation.api.urls")),
    path("", include("deputies.api.urls")),
    path("", include("duties.api.urls")),
    path("", include("liaison.api.urls")),
    path("", include("suggestions.api.urls")),
    path("", include("livelihood.api.urls")),
    path("", include("search.api.urls")),
    path("", include("imports.api.urls")),
    path("", include("topics.api.urls")),
    path("", include("reports.api.urls")),
]

urlpatterns = [
    path("", include("reports.urls")),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("deputies/", include("deputies.urls")),
    path("stations/", include("liaison.urls")),
    path("suggestions/", include("suggestions.urls")),
    path("livelihood/", include("livelihood.urls")),
    path("search/", include("search.urls")),
    path("imports/", include("imports.urls")),
    path("topics/", include("topics.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="api-redoc"),
]

# The site's own error pages (core.views); under DEBUG, core.middleware keeps the 404 one in use.
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
