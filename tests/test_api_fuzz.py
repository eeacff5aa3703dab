"""Property-based fuzzing of the whole API from its OpenAPI schema (schemathesis on Hypothesis).

Every operation in ``/api/schema/`` is called with requests generated from its documented
parameters and bodies, as the suggestion office and as station staff (each with a real token),
over a small street with stations, deputies, suggestions and opinions. Every answer must be
something other than a server error, and a documented answer must match its schema.

Bounded for CI: ``MAX_EXAMPLES`` requests per operation and user, no deadline (the machine is
shared), no example database. Run it alone with ``pytest tests/test_api_fuzz.py -s`` to see how
many requests were made; a failure prints the request to reproduce it.
"""

import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.conftest import PASSWORD
from tests.reports.seed import seed_street

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "3"))

# Operations that render a PDF for every valid request; fewer examples keep the run bounded.
SLOW_OPERATIONS = {"POST /api/v1/reports/"}


def _token(username: str) -> str:
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _strategy(operation):
    """Valid requests (positive) and requests that break the schema on purpose (negative), mixed."""
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    try:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    except Exception:  # an operation with nothing to break (no parameters, no body)
        pass
    return st.one_of(*strategies)


def _fuzz(operation, headers: dict, examples: int, counter: dict) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation))
    def run(case):
        counter["cases"] += 1
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()


def _with_client_address(app):
    """Every real server sets REMOTE_ADDR (the rate limits key on it); the WSGI test transport does not."""

    def wrapped(environ, start_response):
        environ.setdefault("REMOTE_ADDR", "203.0.113.7")
        return app(environ, start_response)

    return wrapped


@contextmanager
def _connection_kept_open():
    """A real server closes the database connection after each request; here that would close the
    connection holding the test's transaction, so the handlers are off while the fuzzer runs (Django's
    test client does the same around each of its requests, and turns them back on after)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_operation_answers_a_server_error_or_breaks_its_schema():
    street = seed_street(full_year=False)
    tokens = {"office": _token(street.office.username), "staff": _token(street.staff.username)}
    counter = {"cases": 0}
    failures = []
    with _connection_kept_open():
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", _with_client_address(get_wsgi_application())
        )
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) > 60
        for role, token in tokens.items():
            headers = {"Authorization": f"Token {token}", "Accept-Language": "zh-hans"}
            for operation in operations:
                examples = 2 if operation.label in SLOW_OPERATIONS else MAX_EXAMPLES
                try:
                    _fuzz(operation, headers, examples, counter)
                except (Exception, BaseExceptionGroup) as exc:  # every operation is tried, failures listed together
                    failures.append(f"{role} {operation.label}: {exc}")
    print(f"\nAPI fuzz: {counter['cases']} requests over {len(operations)} operations and {len(tokens)} users")
    assert not failures, "\n\n".join(failures)
    assert counter["cases"] >= len(operations) * len(tokens)  # every operation was really exercised
