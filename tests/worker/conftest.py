"""Real Celery workers (and a real web server) in subprocesses, on the test's own database.

Worker tests are ``transaction=True`` tests: what the test writes is committed, so the subprocesses,
connected to the same test database (its name is passed in DATABASE_URL), see it. Each test gets a
Redis key prefix of its own, so it never sees another run's messages, and its keys are deleted at
the end. Mail sent by the subprocesses lands in files the test counts.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, *, timeout: float, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test runs on (the test database, not the configured one)."""
    settings = connection.settings_dict
    user = quote(settings.get("USER") or "")
    password = settings.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings['NAME']}"


class Subprocess:
    """A child process in its own process group, logging to a file the test can read on failure."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = open(self.log_path, "w")  # closed in stop()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self, sig=signal.SIGKILL) -> None:
        """Signal the whole process group (a worker and its pool children)."""
        if self.alive():
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()


class Harness:
    """Starts workers, web servers and Redis servers for one test and publishes tasks to its broker."""

    def __init__(self, tmp_path: Path, redis_url: str):
        self.tmp_path = tmp_path
        self.redis_url = redis_url
        self.prefix = f"notifytest:{uuid.uuid4().hex[:12]}:"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.processes: list[Subprocess] = []
        self._publishers = {}

    # --- environment -----------------------------------------------------------------------
    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKER_TEST_", "CELERY_"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.worker.settings_worker",
                "DATABASE_URL": database_url(),
                # Connections are not kept: a killed worker leaves nothing that blocks the test's flush.
                "DB_CONN_MAX_AGE": "0",
                "REDIS_URL": self.redis_url,
                "WORKER_TEST_KEY_PREFIX": self.prefix,
                "WORKER_TEST_MAIL_DIR": str(self.mail_dir),
                "PYTHONPATH": str(ROOT),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update({key: str(value) for key, value in extra.items()})
        return env

    # --- processes -----------------------------------------------------------------------------
    def start_worker(
        self, name: str, *, concurrency: int = 1, beat: bool = False, wait: bool = True, quiet: bool = True, **env
    ):
        """``quiet=False`` runs the worker as production does: with gossip, mingle and event heartbeats."""
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool", "prefork", "--concurrency", str(concurrency), "--loglevel", "INFO",
            "--hostname", self.worker_hostname(name),
        ]  # fmt: skip
        if quiet:
            command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        if beat:
            command += ["--beat", "--schedule", str(self.tmp_path / f"{name}-beat-schedule")]
        worker = Subprocess(name, command, self.env(**env), self.tmp_path)
        self.processes.append(worker)
        if wait:
            wait_for(lambda: " ready." in worker.log() or not worker.alive(), timeout=60, message=f"{name} ready")
            assert worker.alive(), worker.log()
        return worker

    def worker_hostname(self, name: str) -> str:
        return f"{name}-{self.prefix.split(':')[1]}@{socket.gethostname()}"

    def start_web(self, name: str = "web", **env) -> tuple[Subprocess, str]:
        port = free_port()
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60",
        ]  # fmt: skip
        web = Subprocess(name, command, self.env(**env), self.tmp_path)
        self.processes.append(web)

        def listening():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return True
            except OSError:
                assert web.alive(), web.log()
                return False

        wait_for(listening, timeout=60, message="the web server")
        return web, f"http://127.0.0.1:{port}"

    def start_redis(self, port: int | None = None, *, data_dir: Path | None = None) -> tuple[Subprocess, int]:
        """A redis-server of the test's own; with ``data_dir``, persistent as docker compose runs it
        (append-only file, synced on every write), so a restart keeps queued and unacknowledged messages."""
        if shutil.which("redis-server") is None:
            reason = "the Redis fault test runs its own redis-server, which is not installed"
            if os.environ.get("REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes", "on"}:
                pytest.fail(f"{reason} (REQUIRE_SERVICES=1 is set)", pytrace=False)
            pytest.skip(reason)
        port = port or free_port()
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        if data_dir is None:
            command += ["--appendonly", "no"]
        else:
            command += ["--dir", str(data_dir), "--appendonly", "yes", "--appendfsync", "always"]
        server = Subprocess(f"redis-{port}-{len(self.processes)}", command, dict(os.environ), self.tmp_path)
        self.processes.append(server)
        wait_for(lambda: _ping(port), timeout=20, message=f"redis on port {port}")
        return server, port

    # --- broker ----------------------------------------------------------------------------------
    def publish(self, task_name: str, *args) -> None:
        """Queue a task as the beat or the web app would (no eager mode, through the broker)."""
        app = self._publishers.get(self.redis_url)
        if app is None:
            app = Celery("publisher", broker=self.redis_url, set_as_current=False)
            app.conf.broker_transport_options = {"global_keyprefix": self.prefix}
            self._publishers[self.redis_url] = app
        app.send_task(task_name, args=args)

    # --- observations -----------------------------------------------------------------------------
    def mails(self) -> list[str]:
        """Every email the subprocesses sent (the file backend separates messages with a dashed line)."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            messages += [m for m in path.read_text().split("-" * 79) if "Subject:" in m]
        return messages

    def logs(self) -> str:
        return "\n".join(f"===== {p.name}\n{p.log()[-6000:]}" for p in self.processes)

    def close(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        for app in self._publishers.values():
            app.close()
        try:
            client = redis.Redis.from_url(self.redis_url)
            keys = list(client.scan_iter(match=f"{self.prefix}*"))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass


def _ping(port: int) -> bool:
    try:
        return redis.Redis(port=port, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def harness(transactional_db, tmp_path, request):
    """One test's workers and broker; prints the subprocess logs when the test fails."""
    if connection.vendor != "postgresql":
        pytest.skip("worker tests share the test database with subprocesses, which needs PostgreSQL")
    h = Harness(tmp_path, os.environ["REDIS_URL"])
    yield h
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    h.close()
    if failed:
        print(h.logs())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
