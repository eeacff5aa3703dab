"""Search benchmark: a two-character query over a city of 1,000,000 opinions (results: bench/RESULTS.md).

    .venv/bin/python bench/search.py --database-url postgres://…/liaison_city_search [--repeat 21] [--migrate]
    .venv/bin/python bench/search.py --database-url … --icontains-only   # before the search migration

The database is a city from ``manage.py seed_city`` (scale 1: 1,000,000 opinions). With ``--migrate`` the
script first applies the pending migrations (the search columns and their GIN indexes) and reports how long
they took. It then measures, in one process (Django, no HTTP server), interleaved, ``--repeat`` rounds after
a warm-up, as the office (whole jurisdiction) and as one area station's staff:

- **search, opinion page**: the opinions matching the query, capped at 501 (the count), and the first page
  (20) of them, newest first: what the search page and ``/api/v1/search/?kind=opinions`` read for opinions;
- **search, all kinds**: ``search.selectors.find`` (four capped counts and one page);
- **search API**: ``GET /api/v1/search/?q=…`` through Django's test client (request, serializer, JSON);
- **old icontains**: what the opinion list filter did before, ``content/outcome_note/resolution_note
  ICONTAINS`` with the list's full count and first page (50).

Prints a table and, unless ``--no-write``, appends it to the "Search" section of bench/RESULTS.md.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
sys.path[:0] = [str(ROOT)]

OFFICE = "city_office"
STAFF = "city_staff_0001"
QUERIES = ("电梯", "停运")  # in one matter of ten / in none


def setup(database_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="bench-search-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        STATIC_MANIFEST="0",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()


def migrate() -> float:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("migrate", verbosity=1)
    seconds = time.perf_counter() - start
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seconds


def machine() -> dict:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), platform.processor())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SELECT count(*) FROM liaison_opinion")
        opinions = cursor.fetchone()[0]
    return {
        "cpu": f"{os.cpu_count()} × {cpu}",
        "python": platform.python_version(),
        "postgres": version,
        "opinions": opinions,
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def cases(icontains_only: bool):
    from django.core.paginator import Paginator
    from django.db.models import Q
    from django.test import Client

    from accounts.models import User
    from liaison.selectors import opinions_visible_to
    from search.selectors import KINDS, _page, find, matching, sample

    def old_icontains(user, q):
        rows = opinions_visible_to(user).filter(
            Q(content__icontains=q) | Q(outcome_note__icontains=q) | Q(resolution_note__icontains=q)
        )
        page = Paginator(rows.order_by("-received_on", "-id"), 50).page(1)
        return page.paginator.count, len(list(page.object_list))

    def opinion_page(user, q):
        # What ``find`` reads for opinions: the capped sample of the matches, then the first page.
        found = sample(matching(user, "opinions", q), KINDS["opinions"].order)
        if not found:
            return 0
        return len(list(_page(user, "opinions", q, found, 0, min(20, len(found)))))

    def api(client, q):
        response = client.get("/api/v1/search/", {"q": q})
        assert response.status_code == 200, response.content[:200]
        return response.json()["count"]

    found = []
    for label, username in (("office", OFFICE), ("staff", STAFF)):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for q in QUERIES:
            found.append((f"old icontains, opinion page «{q}»", label, lambda u=user, q=q: old_icontains(u, q)))
            if icontains_only:
                continue
            found.append((f"search, opinion page «{q}»", label, lambda u=user, q=q: opinion_page(u, q)))
            found.append((f"search, all kinds «{q}»", label, lambda u=user, q=q: find(u, q)))
            found.append((f"search API «{q}»", label, lambda c=client, q=q: api(c, q)))
    return found


def measure(found, repeat: int) -> dict:
    times = {(name, who): [] for name, who, _ in found}
    for _name, _who, run in found:
        run()  # warm-up
    for _ in range(repeat):
        for name, who, run in found:
            start = time.perf_counter()
            run()
            times[(name, who)].append((time.perf_counter() - start) * 1000)
    return times


def table(times: dict) -> str:
    lines = ["| measured | as | p50 | p95 | min |", "|---|---|---|---|---|"]
    for (name, who), values in times.items():
        values = sorted(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        lines.append(f"| {name} | {who} | {statistics.median(values):.1f} ms | {p95:.1f} ms | {values[0]:.1f} ms |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--migrate", action="store_true", help="apply pending migrations first and time them")
    parser.add_argument("--icontains-only", action="store_true", help="only the old filter (before migrating)")
    parser.add_argument("--label", default="")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    setup(args.database_url)

    migrated = migrate() if args.migrate else None
    times = measure(cases(args.icontains_only), args.repeat)
    info = machine()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%d %b %Y, %H:%M UTC")
    title = f"### {args.label or 'Search'}: run of {stamp}"
    parts = [
        title,
        "",
        f"{info['cpu']}, Python {info['python']}, {info['postgres']}; {info['opinions']:,} opinions; "
        f"load average {info['load']} at the end (the machine is shared); {args.repeat} interleaved rounds"
        + (f"; the search migrations took {migrated:.0f} s" if migrated is not None else "")
        + ".",
        "",
        table(times),
    ]
    text = "\n".join(parts)
    print(text)
    if not args.no_write:
        with RESULTS.open("a") as results:
            results.write("\n" + text + "\n")


if __name__ == "__main__":
    main()
