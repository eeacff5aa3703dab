"""Smoke test of ``bench/city.py``: its measuring code, run once on a small generated city.

Correctness only (every list answers 200 to the office and to a station's staff through gunicorn, the
slowest statement of each can be explained, every reminder sweep runs cold and warm, the tables render);
no timing is asserted — the figures are the benchmark's job, on a quiet machine.
"""

import argparse
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SCALE = 0.05  # a small city, as the benchmark's smoke run in CI


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_city", ROOT / "bench" / "city.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None, reason="gunicorn is not installed"
)
def test_the_city_benchmark_measures_every_list_and_sweep(settings):
    settings.ALLOWED_HOSTS = ["*"]
    call_command("seed_city", "--scale", str(SCALE), "--i-know-this-is-not-production", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    bench = load_bench()
    # The server runs the product's settings, whose password hashers do not read the tests' fast hashes.
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from accounts.models import User
    from demo.management.commands.seed_city import CITY_PASSWORD

    User.objects.filter(username__in=[bench.OFFICE, bench.STAFF]).update(
        password=PBKDF2PasswordHasher().encode(CITY_PASSWORD, PBKDF2PasswordHasher().salt())
    )
    database = connection.settings_dict
    host, db_port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    url = f"postgres://{database['USER']}@{host}:{db_port}/{database['NAME']}"
    if database.get("PASSWORD"):
        url = url.replace("@", f":{database['PASSWORD']}@", 1)
    env = bench.server_env(url)
    # Sessions are made in this process and read by the server (and the other way round): one key.
    env["SECRET_KEY"] = settings.SECRET_KEY
    port = bench.free_port()
    server = bench.start_server(env, port)
    try:
        rows = bench.run(f"http://127.0.0.1:{port}", repeat=1, skip=[])
    finally:
        server.terminate()
        server.wait(timeout=30)
    sweeps = bench.measure_sweeps(repeat=1)

    names = {(row["name"], row["role"]) for row in rows}
    expected = {(name, role) for name, _path in bench.API + bench.HTML for role in ("office", "staff")}
    expected |= {(name, "office") for name, _path in bench.OFFICE_ONLY_HTML}
    assert names == expected
    assert all(len(row["request"]) == len(row["hello"]) == len(row["raw"]) == 1 for row in rows)
    deepest = next(row for row in rows if row["name"] == "API opinions, deepest page" and row["role"] == "office")
    assert "cursor=" in deepest["path"]
    assert {row["rule"] for row in sweeps} == {rule.key for rule in bench.sweep_rules()}
    assert any(row["due"] for row in sweeps)

    args = argparse.Namespace(scale=SCALE, label="smoke", repeat=1)
    table = bench.render(rows, args, bench.machine(), None) + bench.render_sweeps(sweeps)
    assert "deepest page ÷ first page" in table and "| suggestion_overdue |" in table
