"""Production settings: validation of the environment, check --deploy, and the deployment files.

Settings are read once per process, so each case runs Django in a subprocess with a clean
environment: only what the test sets, nothing inherited from the test run (or from CI).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_KEY = "k3Jv9-Qz_8xWm2Lr7TnYp4Hs6Bd1Fg0Uc5Ae-Zo_Xi3Ny8Rt2Ml9Pw7Sk4Vh6Jb1Cq0Gd"

# Print what the settings read from the environment, recording only reads made by our own
# configuration (libraries imported by the settings read their own variables).
_RECORD_ENV_READS = """
import importlib, json, os, sys
ours = {os.path.abspath("config/settings.py"), os.path.abspath("config/env.py")}

class RecordingEnv(dict):
    read = set()

    def _note(self, key):
        if sys._getframe(2).f_code.co_filename in ours:
            self.read.add(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

os.environ = RecordingEnv(os.environ)
importlib.import_module("config.settings")
print(json.dumps(sorted(RecordingEnv.read)))
"""


def run_python(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean_env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "PYTHONPATH": str(BASE_DIR), **env}
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=clean_env, capture_output=True, text=True, timeout=120
    )


def load_settings(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps({'age': settings.SESSION_COOKIE_AGE, 'every': settings.SESSION_SAVE_EVERY_REQUEST}))"
    )
    return run_python(["-c", code], DJANGO_SETTINGS_MODULE="config.settings", **env)


def production_env(**overrides: str) -> dict:
    return {"DEBUG": "0", "SECRET_KEY": PRODUCTION_KEY, "ALLOWED_HOSTS": "liaison.example.gov.cn", **overrides}


class TestCheckDeploy:
    def test_production_settings_pass_check_deploy_without_warnings(self):
        result = run_python(["manage.py", "check", "--deploy"], **production_env())
        assert result.returncode == 0, result.stdout + result.stderr
        reported = set(re.findall(r"\(([a-z_]+\.[EWC]\d{3})\)", result.stdout + result.stderr))
        # suggestions.W001 depends on today's date (the working-day calendar nearing its last
        # covered year, from mid-December) and is tested in tests/suggestions; every other
        # warning or error is a finding.
        assert reported - {"suggestions.W001"} == set(), result.stdout + result.stderr
        if not reported:
            assert "no issues" in result.stdout

    def test_check_deploy_would_report_an_insecure_setting(self):
        # The check above can fail: turning off the HTTPS redirect is reported (security.W008).
        result = run_python(
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            **production_env(SECURE_SSL_REDIRECT="0"),
        )
        assert result.returncode != 0
        assert "security.W008" in result.stdout + result.stderr


class TestSettingsValidation:
    def test_a_non_boolean_debug_is_refused_clearly(self):
        result = load_settings(**production_env(DEBUG="maybe"))
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "DEBUG='maybe' is not a boolean" in result.stderr

    def test_a_missing_secret_key_with_debug_off_is_refused_clearly(self):
        env = production_env()
        del env["SECRET_KEY"]
        result = load_settings(**env)
        assert result.returncode != 0
        assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in result.stderr

    @pytest.mark.parametrize("url", ["nonsense", "mysqlx://db/liaison", "postgres://u@h:notaport/db"])
    def test_a_bad_database_url_is_refused_clearly(self, url):
        result = load_settings(**production_env(DATABASE_URL=url))
        assert result.returncode != 0
        assert "ImproperlyConfigured: DATABASE_URL is not a valid database URL" in result.stderr

    def test_the_idle_timeout_defaults_to_thirty_minutes_renewed_on_each_request(self):
        result = load_settings(**production_env())
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == {"age": 30 * 60, "every": True}

    def test_the_idle_timeout_is_configurable(self):
        result = load_settings(**production_env(SESSION_IDLE_MINUTES="45"))
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["age"] == 45 * 60

    @pytest.mark.parametrize("value", ["half an hour", "0"])
    def test_a_bad_idle_timeout_is_refused_clearly(self, value):
        result = load_settings(**production_env(SESSION_IDLE_MINUTES=value))
        assert result.returncode != 0
        assert "ImproperlyConfigured: SESSION_IDLE_MINUTES" in result.stderr


def _env_example() -> tuple[set[str], set[str]]:
    """Variables documented in .env.example: (for the application, for docker compose only)."""
    app, compose_only = set(), set()
    target = app
    for line in (BASE_DIR / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.startswith("# ---") and "docker compose only" in line:
            target = compose_only
        match = re.match(r"^#?\s?([A-Z][A-Z0-9_]*)=", line)
        if match:
            target.add(match.group(1))
    return app, compose_only


def _variables_read_by_settings() -> set[str]:
    read = set()
    for env in ({"DEBUG": "1"}, production_env()):
        result = run_python(["-c", _RECORD_ENV_READS], **env)
        assert result.returncode == 0, result.stderr
        read |= set(json.loads(result.stdout))
    # Reads inside branches that neither run takes are still found in the source.
    source = (BASE_DIR / "config" / "settings.py").read_text(encoding="utf-8")
    read |= set(re.findall(r"\benv_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    return read


class TestEnvExample:
    def test_every_setting_read_from_the_environment_is_documented_and_vice_versa(self):
        documented, _compose_only = _env_example()
        read = _variables_read_by_settings()
        assert read - documented == set(), "read by config/settings.py but missing from .env.example"
        assert documented - read == set(), "documented in .env.example but not read by config/settings.py"

    def test_compose_only_variables_are_used_by_the_compose_file(self):
        _documented, compose_only = _env_example()
        compose = (BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8")
        assert compose_only
        for name in compose_only:
            assert "${" + name in compose, name


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))


class TestDeploymentFiles:
    def test_the_compose_file_describes_the_production_stack(self, compose):
        services = compose["services"]
        # MinIO (S3-compatible file storage) runs only with the optional "s3" profile.
        optional = {name for name, service in services.items() if service.get("profiles") == ["s3"]}
        assert optional == {"minio", "minio-bucket"}
        assert set(services) - optional == {"web", "worker", "beat", "db", "redis"}
        assert "gunicorn config.wsgi:application" in services["web"]["command"]
        assert services["worker"]["command"].startswith("celery -A config worker")
        assert services["beat"]["command"].startswith("celery -A config beat")
        assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
        assert services["db"]["image"] == "postgres:15"
        assert any(volume.endswith(":/var/lib/postgresql/data") for volume in services["db"]["volumes"])
        assert services["redis"]["image"].startswith("redis:")
        for name in ("web", "worker", "beat"):
            service = services[name]
            assert service["build"] == "."
            assert service["env_file"] == ".env"
            assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
            assert service["environment"]["DATABASE_URL"].startswith("postgres://")
            assert "@db:5432/" in service["environment"]["DATABASE_URL"]

    def test_the_image_has_cjk_fonts_and_weasyprint_libraries_and_runs_unprivileged(self):
        dockerfile = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")
        assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M)
        for package in ("fonts-noto-cjk", "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "gettext"):
            assert package in dockerfile, package
        assert "pip install -r requirements.txt" in dockerfile
        assert "collectstatic --noinput" in dockerfile
        users = re.findall(r"^USER (\S+)$", dockerfile, re.M)
        assert users and users[-1] not in {"root", "0"}
        assert "gunicorn" in dockerfile
