"""Report jobs on a real Celery worker against Redis, requested through a real web server.

The job is requested over HTTP before any worker runs, so it is seen pending; then a worker
starts, and the test polls the status endpoint as the page's progress bar does.
"""

import json
import time
import urllib.request

import pytest

from organisation.services import station_create, station_delete
from tests.conftest import PASSWORD
from tests.reports.seed import seed_street
from tests.worker.conftest import harness, wait_for  # noqa: F401  (``harness`` is a fixture)

pytestmark = pytest.mark.worker


class Api:
    def __init__(self, base: str, username: str):
        self.base = base
        self.token = self.call("POST", "/api/v1/auth/token/", {"username": username, "password": PASSWORD})[1]["token"]

    def call(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(self.base + path, method=method)
        request.add_header("Accept", "application/json")
        if getattr(self, "token", None):
            request.add_header("Authorization", f"Token {self.token}")
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, data=data, timeout=60) as response:
                raw = response.read()
                kind = response.headers.get("Content-Type", "")
                return response.status, (json.loads(raw) if "json" in kind else raw)
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


def follow(api: Api, job_id: int, timeout: float) -> list[tuple[str, int]]:
    """Poll the job until it finishes; returns every (status, progress) seen, in order."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _status, job = api.call("GET", f"/api/v1/reports/{job_id}/")
        if not seen or seen[-1] != (job["status"], job["progress"]):
            seen.append((job["status"], job["progress"]))
        if job["status"] in ("done", "failed"):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still unfinished after {timeout}s: {seen}")


def test_a_batch_goes_pending_running_done_with_progress_rising(harness):  # noqa: F811
    street = seed_street(full_year=False)
    _web, base = harness.start_web()
    api = Api(base, "leader")
    status, accepted = api.call(
        "POST", "/api/v1/reports/", {"kind": "batch", "subject": street.area.id, "year": street.year}
    )
    assert status == 202 and accepted["status"] == "pending" and accepted["progress"] == 0
    time.sleep(1)
    assert api.call("GET", f"/api/v1/reports/{accepted['id']}/")[1]["status"] == "pending"  # no worker yet

    harness.start_worker("reports")
    seen = follow(api, accepted["id"], timeout=240)
    statuses = [s for s, _p in seen]
    assert statuses[-1] == "done", (seen, harness.logs())
    assert "running" in statuses
    assert statuses.index("running") < statuses.index("done")
    progress = [p for _s, p in seen]
    assert progress == sorted(progress), seen
    running = {p for s, p in seen if s == "running"}
    assert len(running) >= 3, seen  # it rose step by step, one deputy at a time
    assert progress[-1] == 100

    code, pdf = api.call("GET", f"/api/v1/reports/{accepted['id']}/download/")
    assert code == 200 and pdf.startswith(b"%PDF-")


def test_a_failed_render_ends_failed_with_a_reason(harness):  # noqa: F811
    street = seed_street(full_year=False)
    station = station_create(name="将撤销的实践点", kind="point", parent=street.area, address="临时地址")
    _web, base = harness.start_web()
    api = Api(base, "leader")
    status, accepted = api.call(
        "POST", "/api/v1/reports/", {"kind": "station_annual", "subject": station.id, "year": street.year}
    )
    assert status == 202
    station_delete(station=station)  # gone before a worker picks the job up
    harness.start_worker("reports")
    seen = follow(api, accepted["id"], timeout=120)
    assert seen[-1][0] == "failed", seen
    job = api.call("GET", f"/api/v1/reports/{accepted['id']}/")[1]
    assert job["error"] == f"联络站（编号 {station.id}）已不存在，无法生成报告。"
    assert api.call("GET", f"/api/v1/reports/{accepted['id']}/download/")[0] == 409


def test_a_report_over_the_soft_time_limit_ends_failed_not_running(harness):  # noqa: F811
    street = seed_street(full_year=False)
    # The limits travel in the task message, so the web process that queues the task sets them:
    # two seconds per task, while a batch of seven reports takes longer.
    limits = {"CELERY_TASK_SOFT_TIME_LIMIT": 2, "CELERY_TASK_TIME_LIMIT": 120}
    _web, base = harness.start_web(**limits)
    api = Api(base, "leader")
    _status, accepted = api.call("POST", "/api/v1/reports/", {"kind": "batch", "year": street.year})
    harness.start_worker("slow", **limits)
    seen = follow(api, accepted["id"], timeout=180)
    assert seen[-1][0] == "failed", (seen, harness.logs())
    job = api.call("GET", f"/api/v1/reports/{accepted['id']}/")[1]
    assert job["error"].startswith("报告生成超过 2 秒，已中止。"), job["error"]
