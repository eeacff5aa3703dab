"""Benchmark of the ledger import (results and the machine they ran on: bench/RESULTS.md).

    .venv/bin/python bench/imports.py --database-url postgres://postgres@127.0.0.1:5432/liaison_bench_imports
        [--rows 100000]

On an empty database (migrated here) with a small street (three stations, grids, 60 deputies, a unit), it
writes a reception ledger of ``--rows`` rows (a title row, the header, dates in several spellings) and
measures, in this order:

1. **bare bulk_create, visits and opinions**: ``Visit`` and ``Opinion`` objects built from plain values and
   bulk-inserted 2,000 at a time (rolled back);
2. **bare bulk_create, every row the import writes**: the same plus the deputy links, constituents, history
   rows and provenance records, through the import's own bulk writer, from values already in memory
   (rolled back);
3. **the check** (the preview): streaming the workbook, reading and checking every row, matching keys;
4. **the import**: reading and checking again and writing, in one transaction (committed);
5. **the same file checked again**: every row found unchanged (idempotence).

Rows per second for each, the import's time ÷ each bare insert, and the process's peak RSS after each step.
Run it with ``--rows 10000`` and ``--rows 100000`` to see that memory does not grow with the file.
"""

import argparse
import datetime
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHANNELS = ["进站接待", "入户走访", "巡网格", "电话"]
CATEGORIES = ["城建", "交通", "环境", "教育", "医疗", "养老", "物业", "安全"]
MATTERS = ["电梯停运", "路灯不亮", "垃圾清运不及时", "停车难", "噪音扰民", "路面破损", "绿化缺失", "积水严重"]


def setup(database_url: str) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = workdir / "media"
    call_command("migrate", verbosity=0)
    return workdir


def seed():
    from core.roles import Role
    from tests.builders import deputies as d
    from tests.builders import organisation as o
    from tests.builders.people import user

    hub = o.hub(address="白沙大道1号")
    stations = [o.area(hub, f"第{n}片区实践站", address=f"{n}路1号") for n in range(1, 3)]
    grids = {}
    for station in [hub, *stations]:
        centre = o.centre(o.community(station, f"{station.name}社区"), f"{station.name}网格中心")
        grids[station.name] = [
            o.grid(centre, f"{station.name[:2]}第{k}网格", f"{station.id}-{k}").name for k in range(1, 5)
        ]
    deputies = [d.deputy(f"代表{n:02d}").name for n in range(60)]
    unit = o.handling_unit("白沙社区居委会")
    office = user(Role.OFFICE, username="bench_office")
    return {"stations": [hub.name] + [s.name for s in stations], "grids": grids, "deputies": deputies,
            "unit": unit.name, "office": office}  # fmt: skip


def street_names() -> dict:
    """The names ``seed`` created, read back (for the child process that writes the ledger)."""
    from deputies.models import Deputy
    from organisation.models import Grid, HandlingUnit, Station

    stations = list(Station.objects.order_by("id").values_list("name", flat=True))
    grids = {name: [] for name in stations}
    for grid in Grid.objects.select_related("centre__community__station").order_by("code"):
        grids[grid.centre.community.station.name].append(grid.name)
    return {"stations": stations, "grids": grids, "deputies": list(Deputy.objects.values_list("name", flat=True)),
            "unit": HandlingUnit.objects.get().name}  # fmt: skip


def write_ledger(path: Path, rows: int, street: dict) -> None:
    from openpyxl import Workbook

    from imports.reception import columns

    rng = random.Random(2025)
    # A normal workbook, as Excel and WPS save them (shared strings, a declared dimension); written in a
    # child process (see main) so that its memory is not the benchmark's.
    book = Workbook()
    sheet = book.active
    sheet.title = "接待台账"
    headers = [column.header for column in columns()]
    sheet.append(["白沙街道人大代表联络站接待台账"])
    sheet.append(headers)
    start = datetime.date(2024, 1, 1)
    for n in range(rows):
        station = rng.choice(street["stations"])
        day = start + datetime.timedelta(days=rng.randrange(700))
        outcome = rng.choice(["", "当场答复", "转交办理", "存档备查"])
        handled = day + datetime.timedelta(days=rng.randrange(10)) if outcome else None
        resolved = handled + datetime.timedelta(days=rng.randrange(60)) if outcome and rng.random() < 0.4 else None
        spelled = [day, day.strftime("%Y.%-m.%-d"), f"{day.year}年{day.month}月{day.day}日"][n % 3]
        values = {
            "登记编号": f"{day.year}-{n:06d}",
            "联络站": station,
            "接待日期": spelled,
            "接待方式": rng.choice(CHANNELS),
            "接待代表": "、".join(rng.sample(street["deputies"], rng.randrange(1, 3))),
            "网格": rng.choice(street["grids"][station]),
            "来访人数": rng.randrange(1, 4),
            "群众姓名": f"群众{n % 997}",
            "联系电话": f"138{n:08d}",
            "意见类别": rng.choice(CATEGORIES),
            "意见内容": f"{rng.choice(MATTERS)}，第{n}号反映，请尽快解决",
            "处理方式": outcome,
            "转交单位": street["unit"] if outcome == "转交办理" else None,
            "处理日期": handled,
            "处理说明": "已答复群众" if outcome else None,
            "办结日期": resolved,
            "办结情况": "已解决" if resolved else None,
        }
        sheet.append([values.get(header) for header in headers])
    book.save(path)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_plans(path: Path, office):
    """The ledger's rows as the import's plans, built with the import's own reader (outside the timing)."""
    from imports import reception
    from imports.reading import read_sheet

    errors = []  # every row is already imported: the plans say "unchanged", the caller makes them new
    plans = [p for chunk in reception.check(read_sheet(path.read_bytes(), reception.columns()).rows,
                                              actor=office, errors=errors) for p in chunk]  # fmt: skip
    assert not errors, errors[:3]
    return plans


def timed_rollback(work) -> float:
    from django.db import transaction

    with transaction.atomic():
        started = time.perf_counter()
        work()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def bench(path: Path, street: dict) -> dict:
    from django.core.files.base import ContentFile

    from imports import reception, services
    from imports.models import BatchStatus, ImportBatch
    from liaison.models import Opinion, Visit

    office = street["office"]
    results = {"file_mb": round(path.stat().st_size / 1e6, 1), "rss_at_start_mb": peak_rss_mb()}

    def stored(name: str) -> ImportBatch:
        batch = ImportBatch(kind="reception", file_name=path.name, sha256="-", created_by=office)
        batch.file.save(name, ContentFile(path.read_bytes()), save=False)
        batch.save()
        return batch

    # The import first, so that the process's peak memory is the import's own.
    batch = stored("bench.xlsx")
    started = time.perf_counter()
    assert services.batch_check(batch_id=batch.id)
    results["check_s"] = time.perf_counter() - started
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY, batch.errors[:3]
    results["rss_after_check_mb"] = peak_rss_mb()
    ImportBatch.objects.filter(id=batch.id).update(status=BatchStatus.IMPORTING)
    started = time.perf_counter()
    assert services.batch_import(batch_id=batch.id) == "imported"
    results["import_s"] = time.perf_counter() - started
    results["rss_after_import_mb"] = peak_rss_mb()
    rows = results["rows"] = Opinion.objects.count()

    again = stored("bench-again.xlsx")
    started = time.perf_counter()
    services.batch_check(batch_id=again.id)
    results["recheck_s"] = time.perf_counter() - started
    again.refresh_from_db()
    results["recheck_unchanged"] = again.unchanged_count

    # The same rows inserted bare, from values already in memory (new keys, rolled back).
    plans = bare_plans(path, office)
    for plan in plans:
        plan.key += "|bare"
        plan.action, plan.record = "create", None
    assert len(plans) == rows

    def visits_and_opinions():
        for start in range(0, rows, reception.CHUNK):
            chunk = plans[start : start + reception.CHUNK]
            visits = Visit.objects.bulk_create(
                [Visit(**reception.visit_fields(p.values), recorded_by=office) for p in chunk]
            )
            Opinion.objects.bulk_create(
                [
                    Opinion(
                        **reception.opinion_fields(p.values, office), visit_id=v.id, source="desk", recorded_by=office
                    )
                    for p, v in zip(chunk, visits, strict=True)
                ]  # fmt: skip
            )

    def everything():
        for start in range(0, rows, reception.CHUNK):
            reception.write(plans[start : start + reception.CHUNK], batch=batch, actor=office)

    results["bare_visits_opinions_s"] = timed_rollback(visits_and_opinions)
    results["bare_everything_s"] = timed_rollback(everything)
    return results


def machine(database_url: str) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return {"nproc": nproc, "cpu": cpu, "python": platform.python_version(), "postgresql": server,
            "load_average": [round(x, 1) for x in os.getloadavg()]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database")
    parser.add_argument("--write-ledger", type=Path, help=argparse.SUPPRESS)  # the child process's job
    args = parser.parse_args()
    workdir = setup(args.database_url)
    if args.write_ledger:
        write_ledger(args.write_ledger, args.rows, street_names())
        return
    street = seed()
    path = workdir / "接待台账.xlsx"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--rows", str(args.rows), "--database-url", args.database_url,
         "--write-ledger", str(path)],
        check=True,
    )  # fmt: skip
    written = time.perf_counter() - started
    results = bench(path, street)
    rows = results["rows"]
    for name in ("bare_visits_opinions_s", "bare_everything_s", "check_s", "import_s", "recheck_s"):
        results[name.replace("_s", "_rows_per_s")] = round(rows / results[name])
    results["import_vs_bare_visits_opinions"] = round(results["import_s"] / results["bare_visits_opinions_s"], 2)
    results["import_vs_bare_everything"] = round(results["import_s"] / results["bare_everything_s"], 2)
    results["ledger_written_s"] = round(written, 1)
    print(json.dumps({"machine": machine(args.database_url), "results": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
