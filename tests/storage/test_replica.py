"""The read-replica router: which reads go to the replica, and that nothing changes without one."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from core import replica
from core.replica import REPLICA_VIEWS, ReplicaReadsMiddleware, ReplicaRouter, replica_reads, replica_reads_active
from deputies.models import Deputy
from liaison.models import Opinion
from notifications.models import Notification
from reports.models import PointWeight, ReportJob
from suggestions.models import Suggestion
from tests.reports.seed import seed_street
from tests.reports.test_worker import Api
from tests.worker.conftest import database_url, harness  # noqa: F401  (``harness`` is a fixture)

ROUTER = ReplicaRouter()
COUNTED = [Suggestion, Opinion, Deputy, PointWeight]  # what reports and dashboards count
PRIMARY_ONLY = [get_user_model(), Session, Notification, ReportJob]


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def test_without_a_replica_every_read_uses_the_primary():
    assert "replica" not in connections.databases
    assert not replica.replica_configured()
    with replica_reads():
        for model in COUNTED + PRIMARY_ONLY:
            assert ROUTER.db_for_read(model) == "default", model


def test_counted_rows_are_read_from_the_replica_only_inside_replica_reads(with_replica):
    for model in COUNTED:
        assert ROUTER.db_for_read(model) == "default", model
    with replica_reads():
        for model in COUNTED:
            assert ROUTER.db_for_read(model) == "replica", model
    assert not replica_reads_active()


def test_accounts_sessions_notifications_and_report_jobs_always_use_the_primary(with_replica):
    with replica_reads():
        for model in PRIMARY_ONLY:
            assert ROUTER.db_for_read(model) == "default", model


def test_every_write_goes_to_the_primary(with_replica):
    with replica_reads():
        for model in COUNTED + PRIMARY_ONLY:
            assert ROUTER.db_for_write(model) == "default", model


def test_reads_inside_a_transaction_on_the_primary_stay_on_it(with_replica, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with replica_reads():
        assert ROUTER.db_for_read(Suggestion) == "default"


def test_rows_related_to_a_row_read_from_the_primary_come_from_the_primary(with_replica):
    from_primary, from_replica = Suggestion(), Suggestion()
    from_primary._state.db, from_replica._state.db = "default", "replica"
    with replica_reads():
        assert ROUTER.db_for_read(Deputy, instance=from_primary) == "default"
        assert ROUTER.db_for_read(Deputy, instance=from_replica) == "replica"


def test_relations_between_the_two_databases_are_allowed_and_migrations_run_on_the_primary_only():
    on_primary, on_replica = Suggestion(), Deputy()
    on_primary._state.db, on_replica._state.db = "default", "replica"
    assert ROUTER.allow_relation(on_primary, on_replica)
    assert ROUTER.allow_migrate("default", "suggestions")
    assert not ROUTER.allow_migrate("replica", "suggestions")


def _view_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _view_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_replica_view_name_exists():
    assert REPLICA_VIEWS <= _view_names(get_resolver())


def test_the_middleware_marks_only_get_and_head_requests_of_replica_views(rf):
    seen = []

    def view(request):
        middleware.process_view(request, None, (), {})
        seen.append(replica_reads_active())
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(view)
    for method, path in [
        ("get", "/reports/dashboard/"),
        ("head", "/api/v1/stats/suggestions/"),
        ("post", "/reports/dashboard/"),
        ("get", "/reports/weights/"),
        ("get", "/suggestions/"),
    ]:
        request = getattr(rf, method)(path)
        request.resolver_match = resolve(path)
        middleware(request)
        assert not replica_reads_active(), (method, path)  # reset once the response is made
    assert seen == [True, True, False, False, False]


@pytest.mark.worker
@pytest.mark.postgres
def test_a_web_server_with_a_replica_reads_statistics_from_it_and_the_rest_from_the_primary(harness):  # noqa: F811
    """A real server process whose replica is the test database under another connection name: the
    statistics endpoint opens a connection to the replica, the report list does not."""
    street = seed_street(full_year=False)
    probe = f"replica-probe-{uuid.uuid4().hex[:8]}"
    replica_url = f"{database_url()}?application_name={probe}"
    _web, base = harness.start_web(DATABASE_REPLICA_URL=replica_url, DB_CONN_MAX_AGE=60)
    api = Api(base, "leader")

    def replica_sessions() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [probe])
            return cursor.fetchone()[0]

    code, jobs = api.call("GET", "/api/v1/reports/")
    assert code == 200 and jobs["count"] == 0
    assert replica_sessions() == 0
    code, stats = api.call("GET", "/api/v1/stats/suggestions/")
    assert code == 200, stats
    assert replica_sessions() == 1, harness.logs()
    # The same figures as this process computes from the primary (the "replica" is the same database here).
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="leader"))
    assert client.get("/api/v1/stats/suggestions/").json() == stats
    assert street.deputies
