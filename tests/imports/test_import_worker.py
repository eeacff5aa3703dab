"""A ledger checked and imported by a real Celery worker: uploaded to a web process over HTTP, checked in
the background, confirmed, imported in the background, all polled through the API."""

import json
import time
import urllib.request
import uuid

import pytest

from liaison.models import Opinion, Visit
from tests.imports.ledgers import row, workbook_bytes
from tests.reports.test_worker import Api
from tests.worker.conftest import harness  # noqa: F401  (``harness`` is a fixture)

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

ROWS = 3000


def upload(api: Api, data: bytes) -> tuple[int, dict]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nreception\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="ledger.xlsx"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(api.base + "/api/v1/imports/", data=body, method="POST")
    request.add_header("Authorization", f"Token {api.token}")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, json.loads(response.read())


def follow(api: Api, batch_id: int, until: set[str], timeout: float) -> list[tuple[str, int]]:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _status, batch = api.call("GET", f"/api/v1/imports/{batch_id}/")
        if not seen or seen[-1] != (batch["status"], batch["progress"]):
            seen.append((batch["status"], batch["progress"]))
        if batch["status"] in until:
            return seen
        time.sleep(0.1)
    raise AssertionError(f"batch {batch_id} still at {seen} after {timeout}s")


def test_a_ledger_is_checked_and_imported_by_a_worker(harness, reception_street):  # noqa: F811
    rows = [row(**{"登记编号": f"W-{n}", "接待日期": "2025-06-01", "来访人数": 1 + n % 3}) for n in range(ROWS)]
    _web, base = harness.start_web()
    api = Api(base, "staff_a")
    status, batch = upload(api, workbook_bytes(rows))
    assert status == 201 and batch["status"] == "pending"  # queued, not checked in the request
    harness.start_worker("imports")
    seen = follow(api, batch["id"], {"ready", "invalid", "failed"}, timeout=180)
    assert seen[-1] == ("ready", 100), (seen, harness.logs())
    _status, checked = api.call("GET", f"/api/v1/imports/{batch['id']}/")
    assert checked["created_count"] == ROWS and Visit.objects.count() == 0

    status, confirmed = api.call("POST", f"/api/v1/imports/{batch['id']}/confirm/")
    assert status == 200 and confirmed["status"] == "importing"
    seen = follow(api, batch["id"], {"imported", "invalid", "failed"}, timeout=240)
    assert seen[-1] == ("imported", 100), (seen, harness.logs())
    assert Opinion.objects.count() == ROWS and Visit.objects.count() == ROWS
