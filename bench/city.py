"""City-scale benchmark of the main lists (results and the machine they ran on: bench/RESULTS.md).

    .venv/bin/python bench/city.py --scale 0.05 [--repeat 7] [--database-url URL] [--reseed] [--label TEXT]

1. Creates the PostgreSQL database (default ``liaison_city_bench`` on 127.0.0.1), migrates it and, when it
   is empty, fills it with ``manage.py seed_city --scale S``. A database seeded at another scale is refused
   (``--reseed`` drops and rebuilds it).
2. Serves the app with gunicorn (2 workers, ``DEBUG`` off) on a free port, with ``bench/city_settings.py``:
   the product's URLs plus a hello-world DRF view (``bench/city_urls.py``), the reference point.
3. For the office and for one area station's staff, measures p50/p95 of the API lists (opinions, visits,
   suggestions, station statistics; token from ``POST /api/v1/auth/token/``) and the HTML opinion list,
   suggestion list and dashboards (session cookie), each against the hello-world view and against its
   slowest SQL statement run raw with ``EXPLAIN ANALYZE`` (PostgreSQL's execution time), interleaved.
4. Prints a table of ratios and appends the run to the "City scale" section of ``bench/RESULTS.md``
   (``--no-write`` to leave it alone).

Before serving, the statistics' summary tables are rebuilt (``reports.refresh_statistics``, timed), as
the beat does every few minutes: the dashboards and statistics read them. ``--only WORD`` keeps the
lists whose name contains WORD (e.g. ``--only dashboard --only stats``). ``--pdf`` also times a station's
annual PDF (bench/station_pdf.py: the area station of ``city_staff_0001``) against the same PDF of the
demo street's area station (``demo_staff``, database ``--demo-database-url``, seeded with ``seed_demo``
when empty), interleaved.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "RESULTS.md"
sys.path[:0] = [str(ROOT), str(BENCH)]

OFFICE = "city_office"
STAFF = "city_staff_0001"
OPINIONS_AT_SCALE_1 = 1_000_000

API = [
    ("API opinions", "/api/v1/opinions/"),
    ("API opinions, deepest page", None),  # the cursor of the last page, computed once the data is there
    ("API visits", "/api/v1/visits/"),
    ("API suggestions", "/api/v1/suggestions/"),
    ("API station stats", "/api/v1/stats/stations/"),
    ("API suggestion stats", "/api/v1/stats/suggestions/"),
    ("API deputies", "/api/v1/deputies/"),
]
HTML = [
    ("HTML home", "/"),
    ("HTML opinion list", "/stations/reception/opinions/"),
    ("HTML suggestion list", "/suggestions/"),
    ("HTML reception dashboard", "/stations/reception/dashboard/"),
]
OFFICE_ONLY_HTML = [("HTML report dashboard", "/reports/dashboard/")]
HELLO = "/bench/hello/"
TIMEOUT = 300


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="city_settings",
        DEBUG="0",
        SECRET_KEY="bench-city-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        STATIC_MANIFEST="0",
        LOG_LEVEL="WARNING",
    )
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(BENCH), env.get("PYTHONPATH", "")])
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def ensure_database(database_url: str, reseed: bool) -> None:
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cursor:
        if reseed:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def seed_if_needed(env: dict, scale: float) -> float | None:
    """Seed an empty database; returns the seeding time, or None when the data was already there."""
    import psycopg2

    manage(env, "migrate", "--verbosity", "0")
    conn = psycopg2.connect(env["DATABASE_URL"])
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM liaison_opinion")
        opinions = cursor.fetchone()[0]
    conn.close()
    expected = round(OPINIONS_AT_SCALE_1 * scale)
    if opinions == expected:
        return None
    if opinions:
        sys.exit(f"The database holds {opinions:,} opinions, not the {expected:,} of scale {scale}: pass --reseed.")
    started = time.monotonic()
    manage(env, "seed_city", "--scale", str(scale), "--i-know-this-is-not-production")
    manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')")
    return time.monotonic() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, headers: dict) -> tuple[int, float]:
    request = urllib.request.Request(url, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, time.perf_counter() - started


def start_server(env: dict, port: int) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            gunicorn,
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--pythonpath",
            str(BENCH),
            "--timeout",
            str(TIMEOUT),
            "--log-level",
            "warning",
            "config.wsgi",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(f"http://127.0.0.1:{port}{HELLO}", {})
            return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn did not answer within 60 s.")


def credentials(base: str, username: str) -> dict:
    """Headers for the API (a token) and for the pages (a session cookie)."""
    from django.test import Client

    from demo.management.commands.seed_city import CITY_PASSWORD

    body = json.dumps({"username": username, "password": CITY_PASSWORD}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token/", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        token = json.load(response)["token"]
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    session = client.cookies["sessionid"].value
    return {"api": {"Authorization": f"Token {token}"}, "html": {"Cookie": f"sessionid={session}"}}


def slowest_sql(path: str, headers: dict) -> str:
    """The slowest SQL statement of one request, served in this process (its values inlined)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    extra = {}
    if "Authorization" in headers:
        extra["HTTP_AUTHORIZATION"] = headers["Authorization"]
    client = Client(HTTP_HOST="127.0.0.1", **extra)
    if "Cookie" in headers:
        client.cookies["sessionid"] = headers["Cookie"].split("=", 1)[1]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code} in process ({response.get('Location', '')}).")
    selects = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    return max(selects, key=lambda q: float(q["time"]))["sql"]


def explain_analyze(sql: str) -> float:
    """PostgreSQL's execution time of ``sql`` (seconds), from EXPLAIN ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Execution Time"] / 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpu": f"{os.cpu_count()} × {cpu}",
        "memory": memory,
        "python": platform.python_version(),
        "postgres": postgres,
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/liaison_city_bench")
    parser.add_argument("--reseed", action="store_true", help="Drop the database and seed it again.")
    parser.add_argument("--label", default="", help="What this run measures, e.g. 'baseline'.")
    parser.add_argument("--no-write", action="store_true", help="Do not append the run to bench/RESULTS.md.")
    parser.add_argument("--no-sweeps", action="store_true", help="Do not time the reminder sweeps.")
    parser.add_argument("--sweeps-only", action="store_true", help="Time the reminder sweeps only (no server).")
    parser.add_argument(
        "--skip", action="append", default=[], help="Leave out the lists whose name contains this (repeatable)."
    )
    parser.add_argument("--only", action="append", default=[], help="Keep only the lists whose name contains this.")
    parser.add_argument("--pdf", action="store_true", help="Also time a station's annual PDF, city against demo.")
    parser.add_argument("--pdf-repeat", type=int, default=3)
    parser.add_argument("--demo-database-url", default="postgres://postgres@127.0.0.1:5432/liaison_city_demo")
    args = parser.parse_args()

    env = server_env(args.database_url)
    ensure_database(args.database_url, args.reseed)
    seeding = seed_if_needed(env, args.scale)
    refresh = None if args.sweeps_only else refresh_statistics(env)
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()

    rows = []
    if not args.sweeps_only:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port)
        try:
            rows = run(base, args.repeat, skip=args.skip, only=args.only)
        finally:
            server.terminate()
            server.wait(timeout=30)
    pdf = station_pdfs(args) if args.pdf else None

    sweeps = [] if args.no_sweeps else measure_sweeps(args.repeat)
    facts = machine()
    table = render(rows, args, facts, seeding, refresh, pdf) + (render_sweeps(sweeps) if sweeps else "")
    print(table)
    if not args.no_write:
        write_results(table)


def refresh_statistics(env: dict) -> float:
    """Rebuild the summary tables (what the beat does every few minutes); returns the seconds it took."""
    started = time.monotonic()
    manage(env, "shell", "-c", "from reports import services; services.statistics_refresh()")
    return time.monotonic() - started


def station_pdfs(args) -> dict:
    """Median seconds of a station's annual PDF on the city and on the demo street, interleaved."""
    demo_env = server_env(args.demo_database_url)
    ensure_database(args.demo_database_url, reseed=False)
    manage(demo_env, "migrate", "--verbosity", "0")
    manage(demo_env, "seed_demo", "--i-know-this-is-not-production")  # safe to run again

    def once(url: str, staff: str) -> dict:
        command = [sys.executable, str(BENCH / "station_pdf.py"), "--database-url", url, "--staff", staff]
        done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    runs = {"city": [], "demo": []}
    for _ in range(args.pdf_repeat):
        runs["demo"].append(once(args.demo_database_url, "demo_staff"))
        runs["city"].append(once(args.database_url, STAFF))
        print("  station PDF round done", flush=True)
    return {
        side: {**results[-1], "median": statistics.median(r["seconds"][0] for r in results)}
        for side, results in runs.items()
    }


def deepest_page(username: str) -> str:
    """The API opinion list's last page for ``username``: the cursor after the row 50 from the end."""
    from accounts.models import User
    from liaison.selectors import opinions_visible_to

    ordering = ("-received_on", "-id")
    rows = opinions_visible_to(User.objects.get(username=username)).order_by(*ordering)
    try:
        from core.api import KeysetPagination
    except ImportError:  # a version with page numbers, measured for comparison: its last page
        return f"/api/v1/opinions/?page={max(1, -(-rows.count() // 50))}"
    paginator = KeysetPagination(ordering)
    last = rows.reverse()[50]
    return f"/api/v1/opinions/?cursor={paginator._encode(paginator._keys_of(last), reverse=False)}"


def run(base: str, repeat: int, skip: list[str], only: list[str] | None = None) -> list[dict]:
    targets = []
    for role, username in (("office", OFFICE), ("staff", STAFF)):
        headers = credentials(base, username)
        pages = HTML + (OFFICE_ONLY_HTML if username == OFFICE else [])
        for name, path in API:
            if path is None and not any(word.lower() in name.lower() for word in skip):
                path = deepest_page(username)
            targets.append({"name": name, "role": role, "path": path, "headers": headers["api"]})
        for name, path in pages:
            targets.append({"name": name, "role": role, "path": path, "headers": headers["html"]})
    targets = [t for t in targets if not any(word.lower() in t["name"].lower() for word in skip)]
    targets = [t for t in targets if t["path"] is not None]
    if only:
        targets = [t for t in targets if any(word.lower() in t["name"].lower() for word in only)]
    hello_headers = targets[0]["headers"]
    for target in targets:
        target["sql"] = slowest_sql(target["path"], target["headers"])
        status, _ = get(base + target["path"], target["headers"])  # warm the workers up
        if status != 200:
            sys.exit(f"{target['path']} ({target['role']}) answered {status}.")
        target.update(request=[], hello=[], raw=[])
        print(f"  ready: {target['role']} {target['name']}", flush=True)
    for round_no in range(repeat):
        for target in targets:
            target["hello"].append(get(base + HELLO, hello_headers)[1])
            status, seconds = get(base + target["path"], target["headers"])
            if status != 200:
                sys.exit(f"{target['path']} ({target['role']}) answered {status}.")
            target["request"].append(seconds)
            target["raw"].append(explain_analyze(target["sql"]))
        print(f"  round {round_no + 1}/{repeat} done", flush=True)
    return targets


def sweep_rules():
    from liaison import reminders as liaison_reminders
    from suggestions import reminders as suggestion_reminders

    return [
        suggestion_reminders.REPLY_DUE,
        suggestion_reminders.CO_OPINION_DUE,
        suggestion_reminders.OVERDUE,
        suggestion_reminders.ASSIGNMENT_PENDING,
        suggestion_reminders.EVALUATION_PENDING,
        liaison_reminders.RECEPTION_TOMORROW,
        liaison_reminders.GRID_DUTY_MISSING,
    ]


def measure_sweeps(repeat: int) -> list[dict]:
    """Each reminder sweep run in this process: the first run (cold: no earlier sweep, everything due is
    new), then ``repeat`` warm runs the same day (everything due was sent by the first), then ``repeat``
    runs on the following days (the daily schedule: incremental rules read what fell due or changed
    since the day before; each day's run sends what fell due that day). All inside one transaction
    rolled back at the end, so the database is left as it was."""
    import time_machine
    from django.db import connection, transaction
    from django.utils import timezone

    from notifications.reminders import run_sweep

    results = []
    with transaction.atomic():
        for rule in sweep_rules():
            started = time.perf_counter()
            cold = run_sweep(rule)
            cold_seconds = time.perf_counter() - started
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE notifications_remindersent, notifications_notification")
            warm = []
            for _ in range(repeat):
                started = time.perf_counter()
                again = run_sweep(rule)
                warm.append(time.perf_counter() - started)
                if again.get("sent"):
                    sys.exit(f"The warm sweep {rule.key} sent {again['sent']} reminders again.")
            next_days, sent_next = [], []
            now = timezone.now()
            for day in range(1, repeat + 1):
                with time_machine.travel(now + datetime.timedelta(days=day), tick=False):
                    started = time.perf_counter()
                    result = run_sweep(rule)
                    next_days.append(time.perf_counter() - started)
                    sent_next.append(result.get("sent", 0))
            results.append(
                {
                    "rule": rule.key,
                    "due": cold.get("due", 0),
                    "cold": cold_seconds,
                    "warm": warm,
                    "next_days": next_days,
                    "sent_next": sent_next,
                }
            )
            print(f"  swept: {rule.key}", flush=True)
        transaction.set_rollback(True)
    return results


def render_sweeps(sweeps: list[dict]) -> str:
    lines = [
        "",
        "| reminder sweep | due | first run (no earlier sweep) | warm run p50 (same day, all sent before) "
        "| next days p50 (daily run) | sent per next day (median) |",
        "|---|---|---|---|---|---|",
    ]
    for row in sweeps:
        lines.append(
            f"| {row['rule']} | {row['due']:,} | {row['cold'] * 1000:.0f} ms | "
            f"{statistics.median(row['warm']) * 1000:.0f} ms | {statistics.median(row['next_days']) * 1000:.0f} ms "
            f"| {statistics.median(row['sent_next']):,.0f} |"
        )
    total_cold = sum(row["cold"] for row in sweeps)
    total_warm = sum(statistics.median(row["warm"]) for row in sweeps)
    total_next = sum(statistics.median(row["next_days"]) for row in sweeps)
    due = sum(row["due"] for row in sweeps)
    lines.append(
        f"| all | {due:,} | {total_cold * 1000:.0f} ms | {total_warm * 1000:.0f} ms | {total_next * 1000:.0f} ms | |"
    )
    return "\n".join(lines) + "\n"


def render(
    rows: list[dict], args, facts: dict, seeding: float | None, refresh: float | None = None, pdf: dict | None = None
) -> str:
    now = datetime.datetime.now(datetime.UTC)
    label = f" — {args.label}" if args.label else ""
    lines = [
        f"### Scale {args.scale}{label}: run of {now:%d %b %Y, %H:%M} UTC",
        "",
        f"{facts['cpu']}, {facts['memory']}, Python {facts['python']}, PostgreSQL {facts['postgres']}; "
        f"load average {facts['load']} at the end; {args.repeat} interleaved rounds"
        + (f"; seeding took {seeding:.0f} s" if seeding else "")
        + (f"; rebuilding the statistics' summary tables took {refresh:.0f} s" if refresh is not None else "")
        + ".",
    ]
    if rows:
        lines += [
            "",
            "| list | as | p50 | p95 | hello p50 | p50 ÷ hello | slowest SQL raw p50 | SQL ÷ request |",
            "|---|---|---|---|---|---|---|---|",
        ]
    for row in rows:
        p50 = statistics.median(row["request"])
        hello = statistics.median(row["hello"])
        raw = statistics.median(row["raw"])
        lines.append(
            f"| {row['name']} | {row['role']} | {p50 * 1000:.0f} ms | {percentile(row['request'], 0.95) * 1000:.0f} ms "
            f"| {hello * 1000:.1f} ms | {p50 / hello:.0f}× | {raw * 1000:.1f} ms | {raw / p50:.0%} |"
        )
    by_key = {(row["name"], row["role"]): statistics.median(row["request"]) for row in rows}
    for role in ("office", "staff"):
        first, deepest = by_key.get(("API opinions", role)), by_key.get(("API opinions, deepest page", role))
        if first and deepest:
            lines.append(f"\nAPI opinion list as {role}: deepest page ÷ first page = {deepest / first:.2f}×.")
    if pdf:
        city, demo = pdf["city"], pdf["demo"]
        lines += [
            "",
            "| station annual PDF | station | pages | SQL statements | median |",
            "|---|---|---|---|---|",
            f"| demo street | {demo['station']} | {demo['pages']} | {demo['queries']} | {demo['median']:.2f} s |",
            f"| city | {city['station']} | {city['pages']} | {city['queries']} | {city['median']:.2f} s |",
            "",
            f"City ÷ demo street: {city['median'] / demo['median']:.2f}× ({args.pdf_repeat} interleaved renders each).",
        ]
    return "\n".join(lines) + "\n"


SECTION = "# City scale benchmark (`bench/city.py`)"
INTRO = f"""
{SECTION}

```
.venv/bin/python bench/city.py --scale 0.05 --label baseline     # seeds liaison_city_bench when empty
```

`manage.py seed_city --scale S` fills a PostgreSQL database with a city (S = 1: 600 stations, 5,000
deputies, 700,000 visits with 1,000,000 opinions over five years, 180,000 suggestions in every state).
The script serves it with gunicorn (2 workers, `DEBUG` off) and measures each list as the office
(whole jurisdiction) and as the staff of one area station (the area and its community points): p50
and p95 of the request, the median of a hello-world DRF view on the same server (token
authentication, one small JSON) requested just before it, and the slowest SQL statement of the
request (the one that took longest in process, rows fetched included) run raw with
`EXPLAIN ANALYZE` just after it (PostgreSQL's execution time, without the network and Django).
"p50 ÷ hello" is what the list costs above the framework; "SQL ÷ request" how much of it is that
one statement.

The machine is shared with other test suites running at the same time: absolute times vary with the
load (given with each run), the ratios much less, since both sides run interleaved.
"""


def write_results(table: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else ""
    if SECTION not in text:
        text = text.rstrip("\n") + "\n" + INTRO
    text = text.rstrip("\n") + "\n\n" + table
    RESULTS.write_text(text)
    print(f"Appended to {RESULTS.relative_to(ROOT)}.")


if __name__ == "__main__":
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        sys.exit("gunicorn is not installed in this environment.")
    main()
