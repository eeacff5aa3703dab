"""An S3-compatible server of the tests' own (moto's standalone server, over HTTP) and the settings
that put stored files in one of its buckets.

The server runs as a separate process for the whole session; each test gets a bucket of its own.
Where it cannot start, the tests skip, or fail when REQUIRE_SERVICES=1 is set (CI).
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ACCESS_KEY = "storage-test-key"
SECRET_KEY = "storage-test-secret"
REGION = "us-east-1"


def _required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes", "on"}


def _unavailable(reason: str):
    if _required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1 is set, so a missing service is a failure)", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url + "/moto-api/", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """The endpoint URL of a moto S3 server started for this session (``python -m moto.server``)."""
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
        import storages.backends.s3  # noqa: F401
    except ImportError as exc:
        _unavailable(f"the S3 storage tests need boto3, django-storages and moto[server]: {exc}")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("s3-server") / "moto.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not _answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait(timeout=10)
            _unavailable(f"the S3 test server did not start: {log_path.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass
class Bucket:
    endpoint: str
    name: str

    def env(self) -> dict[str, str]:
        """The environment that selects this bucket (what a host's .env says)."""
        return {
            "FILE_STORAGE": "s3",
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_BUCKET": self.name,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_REGION": REGION,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def keys(self) -> list[str]:
        answer = self.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in answer.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_server) -> Bucket:
    """A fresh, private bucket on the test server."""
    created = Bucket(s3_server, f"liaison-{uuid.uuid4().hex[:16]}")
    created.client().create_bucket(Bucket=created.name)
    return created


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


@pytest.fixture
def s3_storage(settings, bucket, tmp_path):
    """This process stores files in ``bucket`` (the settings FILE_STORAGE=s3 makes), with a MEDIA_ROOT of
    its own that must stay empty."""
    from config.storage import s3_storage_options

    settings.MEDIA_ROOT = tmp_path / "web-media"
    settings.MEDIA_ROOT.mkdir()
    settings.FILE_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_storage_options(bucket.env())},
    }
    yield bucket
    assert files_under(settings.MEDIA_ROOT) == [], "a file was written to local disk"
