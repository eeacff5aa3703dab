"""Every documented way of running the product brings the background work back by itself."""

import configparser
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
SYSTEMD = BASE_DIR / "deploy" / "systemd"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string((SYSTEMD / name).read_text(encoding="utf-8"))
    return parser


def test_docker_compose_restarts_and_health_checks_web_worker_and_beat():
    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    for name in ["web", "worker", "beat", "db", "redis"]:
        assert services[name]["restart"] in {"always", "unless-stopped"}, name
    assert "check_background --worker celery@$$HOSTNAME" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "--hostname celery@%h" in services["worker"]["command"]
    assert services["beat"]["healthcheck"]["test"][-2:] == ["check_background", "--heartbeat"]
    assert "healthcheck" in services["web"]
    assert "--appendonly yes" in services["redis"]["command"]  # queued tasks outlive a Redis restart


def test_the_systemd_units_restart_web_worker_and_beat_for_ever():
    for name in ["liaison-web.service", "liaison-worker.service", "liaison-beat.service"]:
        parsed = unit(name)
        assert parsed["Service"]["Restart"] == "always", name
        assert parsed["Unit"]["StartLimitIntervalSec"] == "0", name
        assert parsed["Install"]["WantedBy"] == "multi-user.target", name
    assert "celery -A config worker" in unit("liaison-worker.service")["Service"]["ExecStart"]
    assert "--hostname celery@%H" in unit("liaison-worker.service")["Service"]["ExecStart"]
    assert "celery -A config beat" in unit("liaison-beat.service")["Service"]["ExecStart"]
    health = unit("liaison-worker-health.service")["Service"]["ExecStart"]
    assert "check_background --worker celery@%H" in health and "systemctl restart liaison-worker.service" in health
    assert "$out" not in health.replace("$$out", "")  # systemd would substitute a single $
    assert unit("liaison-worker-health.timer")["Timer"]["OnUnitActiveSec"]


def test_ci_installs_the_redis_server_that_the_outage_test_runs():
    assert "    redis-server\n" in (BASE_DIR / ".ci" / "run").read_text(encoding="utf-8")


def test_celery_and_kombu_are_pinned_to_the_versions_tested_against_broker_outages():
    pins = dict(line.split("==") for line in (BASE_DIR / "requirements.txt").read_text().splitlines() if "==" in line)
    assert pins["celery"] == "5.7.0" and pins["kombu"] == "5.7.0"
