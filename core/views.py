"""The site's own error pages (400, 403, 404, 500): branded, in the user's language, JSON under the API.

403 and 404 extend the site's base layout (the request, the session and the database are all there).
400 and 500 use a standalone layout that needs neither the database nor a request context: a 400 may
come from a request Django could not trust (a bad Host header), and a 500 may come from the database.
"""

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/v1/"


def _api_error(request, status: int, code: str, detail: str):
    if request is not None and request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    return None


def _html(template_name: str, status: int, context: dict, request=None):
    body = loader.get_template(template_name).render(context, request)
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    response = _api_error(request, 400, "bad_request", _("The request could not be understood."))
    # No request context: the request itself may be what could not be trusted.
    return response or _html("errors/400.html", 400, {})


@requires_csrf_token
def permission_denied(request, exception=None):
    message = str(exception.args[0]) if exception is not None and exception.args else ""
    response = _api_error(request, 403, "forbidden", message or _("You do not have permission to do this."))
    return response or _html("errors/403.html", 403, {"message": message}, request)


@requires_csrf_token
def page_not_found(request, exception=None):
    response = _api_error(request, 404, "not_found", _("Not found."))
    # The exception's text is not shown: for get_object_or_404 it is an English technical message.
    return response or _html("errors/404.html", 404, {}, request)


def server_error(request=None):
    response = _api_error(request, 500, "server_error", _("An error occurred on the server."))
    # Rendered without a request: no context processors, no database, no session.
    return response or _html("errors/500.html", 500, {})
