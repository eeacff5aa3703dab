"""Reads of reports, dashboards and statistics from a read replica, when one is configured.

With ``DATABASE_REPLICA_URL`` set (config.settings then adds the ``replica`` database and this router),
queries go to the replica only when all of these hold:

- the code runs inside ``replica_reads()``: the GET/HEAD requests of the views named in
  ``REPLICA_VIEWS`` (set by ``ReplicaReadsMiddleware``) and the rendering of report PDFs
  (``reports.generation``);
- it is a read (``db_for_read``); every write, and every read of a model written in the same
  breath, goes to the primary;
- the model belongs to one of ``REPLICA_APPS`` (the work that reports count) and is not one of
  ``PRIMARY_MODELS``; accounts, sessions, login lockout, tokens and notifications always use the
  primary, so a fresh login or a just-changed role is never read stale;
- no transaction is open on the primary (what it writes must be read back from it).

Without a replica, the router is not installed and every query uses the primary. A replica lags
the primary by its replication delay: the pages it serves may miss the last second's changes.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# The apps whose rows the reports, dashboards and statistics count.
REPLICA_APPS = frozenset({"organisation", "deputies", "duties", "liaison", "suggestions", "livelihood", "reports"})
# Rows read right after they are written: a report job's status and file.
PRIMARY_MODELS = frozenset({"reports.reportjob"})
# The read-only pages and API endpoints of reports, dashboards and statistics (URL names).
REPLICA_VIEWS = frozenset(
    {
        "reports:dashboard",
        "liaison:reception_dashboard",
        "reports:dashboard_export",
        "reports:ranking",
        "reports:ranking_export",
        "reports:my_file",
        "reports:deputy_file",
        "suggestions:stats",
        "stats-stations",
        "stats-suggestions",
    }
)

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Within this block, the reads the router allows go to the replica (a no-op without one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_reads_active() -> bool:
    return _replica_reads.get()


class ReplicaRouter:
    """Sends the reads described in the module docstring to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        if not (replica_reads_active() and replica_configured()):
            return DEFAULT_DB_ALIAS
        meta = model._meta
        if meta.app_label not in REPLICA_APPS or meta.label_lower in PRIMARY_MODELS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS  # related rows of a row read from the primary
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both databases hold the same rows.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Migrations run on the primary; the replica receives them by replication.
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Runs the GET/HEAD requests of ``REPLICA_VIEWS`` inside ``replica_reads()``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = request.__dict__.pop("_replica_reads_token", None)
            if token is not None:
                _replica_reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match is not None and match.view_name in REPLICA_VIEWS:
            request._replica_reads_token = _replica_reads.set(True)
        return None
