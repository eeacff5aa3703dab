"""FILE_STORAGE and DATABASE_REPLICA_URL as a host's environment sets them: local disk and the primary by
default, S3 and the replica only when configured, and a clear error for an incomplete configuration."""

import json

import pytest

from tests.storage.conftest import _unavailable
from tests.test_settings import production_env, run_python

S3 = {
    "FILE_STORAGE": "s3",
    "S3_ENDPOINT_URL": "http://minio.internal:9000",
    "S3_BUCKET": "liaison-files",
    "S3_ACCESS_KEY_ID": "key",
    "S3_SECRET_ACCESS_KEY": "secret",
    "S3_REGION": "cn-north-1",
}
PRIMARY = "postgres://liaison:pw@db-primary:5432/liaison"


def load(**env):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps({'storage': settings.STORAGES['default'], 'sendfile': settings.MEDIA_SENDFILE, "
        "'databases': sorted(settings.DATABASES), 'routers': settings.DATABASE_ROUTERS, "
        "'replica': {k: v for k, v in settings.DATABASES.get('replica', {}).items() if k in ('HOST', 'NAME', 'TEST')}"
        "}, default=str))"
    )
    result = run_python(["-c", code], DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", **env)
    return result, (json.loads(result.stdout.strip().splitlines()[-1]) if result.returncode == 0 else None)


def test_by_default_files_are_on_local_disk_and_every_query_uses_the_primary():
    result, loaded = load(DATABASE_URL=PRIMARY)
    assert result.returncode == 0, result.stderr
    assert loaded["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert loaded["databases"] == ["default"] and loaded["routers"] == []


def test_file_storage_s3_selects_a_private_bucket_with_short_lived_urls():
    result, loaded = load(**S3)
    assert result.returncode == 0, result.stderr
    storage = loaded["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "liaison-files" and options["endpoint_url"] == "http://minio.internal:9000"
    assert options["region_name"] == "cn-north-1" and options["addressing_style"] == "path"
    assert options["access_key"] == "key" and options["secret_key"] == "secret"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["querystring_expire"] == 60 and options["file_overwrite"] is False


def test_an_incomplete_or_contradictory_storage_configuration_stops_the_process():
    for env, message in [
        ({**S3, "S3_BUCKET": ""}, "FILE_STORAGE=s3 needs S3_BUCKET"),
        ({"FILE_STORAGE": "s3"}, "S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY"),
        ({"FILE_STORAGE": "minio"}, "FILE_STORAGE='minio' must be one of ['local', 's3']"),
        ({**S3, "MEDIA_SENDFILE": "nginx"}, "set MEDIA_SENDFILE=off"),
        ({**S3, "S3_ADDRESSING_STYLE": "sideways"}, "S3_ADDRESSING_STYLE='sideways'"),
        ({**S3, "S3_URL_SECONDS": "0"}, "S3_URL_SECONDS='0'"),
    ]:
        result, _loaded = load(**env)
        assert result.returncode != 0, env
        assert "ImproperlyConfigured" in result.stderr and message in result.stderr, result.stderr[-800:]


def test_local_disk_keeps_the_sendfile_options():
    result, loaded = load(MEDIA_SENDFILE="nginx")
    assert result.returncode == 0 and loaded["sendfile"] == "nginx"


def test_a_replica_url_adds_the_replica_and_its_router():
    result, loaded = load(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL="postgres://reader:pw@db-replica:5432/liaison")
    assert result.returncode == 0, result.stderr
    assert loaded["databases"] == ["default", "replica"]
    assert loaded["routers"] == ["core.replica.ReplicaRouter"]
    assert loaded["replica"]["HOST"] == "db-replica" and loaded["replica"]["TEST"]["MIRROR"] == "default"
    # An empty value is no replica.
    assert load(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL="")[1]["databases"] == ["default"]


def test_a_bad_replica_url_stops_the_process():
    for url, message in [
        ("nonsense://x", "DATABASE_REPLICA_URL is not a valid database URL"),
        ("sqlite:///replica.sqlite3", "DATABASE_REPLICA_URL must be a replica of DATABASE_URL"),
    ]:
        result, _loaded = load(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=url)
        assert result.returncode != 0 and message in result.stderr, result.stderr[-800:]


def test_production_settings_with_s3_and_a_replica_pass_check_deploy():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **production_env(**S3, DATABASE_REPLICA_URL="sqlite:///replica.sqlite3"),
    )
    reported = result.stdout + result.stderr
    assert "suggestions.W001" in reported or result.returncode == 0, reported
    assert "storages" not in reported and "replica" not in reported.lower(), reported


def test_a_test_s3_server_that_cannot_start_skips_or_under_require_services_fails(monkeypatch):
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception):
        _unavailable("no S3 server")
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_SERVICES=1"):
        _unavailable("no S3 server")
