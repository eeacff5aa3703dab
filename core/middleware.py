"""Web-layer hardening middleware."""

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
