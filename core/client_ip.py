"""The client's address, the same for rate limits, the login lockout and the privacy audit.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, ``REMOTE_ADDR`` is the nearest proxy's
address and each proxy appends the address it received the request from to
``X-Forwarded-For``. The client is therefore the entry that many places from the right;
anything to its left was written by the client itself and is never trusted. With the
default of 0 the header is ignored. A header with fewer entries than there are proxies,
or an entry that is not an IP address, means the request did not come through the
configured chain: ``REMOTE_ADDR`` is used.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The client's IP address as a string ("" only when the server saw none)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
