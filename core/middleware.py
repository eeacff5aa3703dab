"""Web-layer hardening middleware."""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404
from django.urls import Resolver404, get_resolver
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page and API answer this application renders.

    Nearly everything behind the login carries personal data (phone numbers, visits, opinions,
    exports), and the public QR pages carry a constituent's own opinion; a browser or a proxy must keep
    none of it. The rule is deliberately blanket rather than per view, so that a new view cannot forget
    it. Static files are answered by WhiteNoise, which sits above this middleware, and keep their
    long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class BrandedNotFoundUnderDebugMiddleware:
    """Under DEBUG, answer a 404 with the branded page instead of Django's technical one.

    With DEBUG on (the demo runs so) Django answers Http404 with ``technical_404_response``, which
    lists the URL patterns and ignores ``handler404``; there is no setting to turn that off. This
    middleware does the two things Django would do without DEBUG, and only under DEBUG (otherwise it
    removes itself at start-up and Django calls ``handler404`` on its own):

    - a path that matches no URL pattern is answered before the view is looked up (Django raises
      Resolver404 outside the reach of ``process_exception``);
    - an Http404 raised by a view is answered in ``process_exception``.

    Both go through ``handler404`` of the root URLconf. It sits after CommonMiddleware, so that a path
    missing its trailing slash is still redirected (CommonMiddleware does that on the way out of a 404),
    and after the authentication middleware, so that the page shows the signed-in user's menu.
    Technical 500 pages under DEBUG are left alone: they are a developer's tool, and the demo's
    visitors do not reach them by typing an address.
    """

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        try:
            get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
        except Resolver404 as exc:
            return self._not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self._not_found(request, exception)
        return None

    @staticmethod
    def _not_found(request, exception):
        callback = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(404)
        return callback(request, exception)


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` (feature → allowed origins, [] for none)."""

    def __init__(self, get_response):
        policy = getattr(settings, "PERMISSIONS_POLICY", None)
        if not policy:
            raise MiddlewareNotUsed
        self.header = ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in sorted(policy.items()))
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
