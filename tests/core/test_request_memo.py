"""``core.request_memo``: one answer per request, none kept outside a request."""

from django.http import HttpResponse
from django.test import RequestFactory

from core.request_memo import RequestMemoMiddleware, memoized


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_outside_a_request_every_call_computes():
    calls, compute = counter()
    assert [memoized("k", compute), memoized("k", compute)] == [1, 2]
    assert len(calls) == 2


def test_inside_a_request_the_first_answer_is_kept_until_the_response():
    calls, compute = counter()
    seen = []

    def view(request):
        seen.extend([memoized("k", compute), memoized("k", compute), memoized("other", compute)])
        return HttpResponse("ok")

    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    assert seen == [1, 1, 2]
    # The request's memo is gone with it: the next request (or code outside one) computes again.
    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    assert seen[3:] == [3, 3, 4]
    assert memoized("k", compute) == 5
