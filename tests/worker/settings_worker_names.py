"""Names shared by the worker-test settings and the tests (importable without the worker environment)."""

# The PostgreSQL application_name of every session the test subprocesses (workers, web servers) open.
SUBPROCESS_APPLICATION_NAME = "liaison-test-subprocess"
