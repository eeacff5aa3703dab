"""Values computed once per request: ``memoized(key, compute)``.

A page asks the same small question several times while it is built — the staff's stations are read
by the list's selector, its pending count, the filter's station and grid choices and the menu. Inside a
request (``RequestMemoMiddleware``) the first answer is kept for the rest of that request and dropped
at its end; outside one (a task, a shell, a test calling a selector) nothing is kept and every call
computes afresh, so a change made between two calls is always seen there.
"""

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, computed once per request for ``key`` (every time outside a request)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class RequestMemoMiddleware:
    """Gives each request its own memo and drops it when the response is returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
