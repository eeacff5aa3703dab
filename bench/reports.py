"""Benchmark of the PDF reports (results and the machine they ran on: bench/RESULTS.md).

    .venv/bin/python bench/reports.py [--deputies 100] [--repeat 7] [--database-url URL]

Measures, on a street seeded through the product's services:
1. one deputy's 履职报告 end to end (figures from the database, template, charts, WeasyPrint)
   against WeasyPrint alone rendering the same saved HTML;
2. the time per deputy in a batch job of all ``--deputies`` deputies (the real Celery task, inline);
3. the process's peak memory (max RSS) after 5 and after 50 renders.

By default it builds a throwaway SQLite database in a temporary directory; ``--database-url``
points it at another (empty) database instead, e.g. PostgreSQL.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(database_url: str | None) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.pop("REDIS_URL", None)  # tasks run inline, in this process
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = workdir / "media"
    call_command("migrate", verbosity=0)


def seed(deputies: int):
    """The test street, plus for every deputy a grid, three visits with opinions and monthly patrols."""
    from django.utils import timezone

    from duties.models import GridDutyKind
    from duties.services.assignments import grid_assignment_create
    from duties.services.grid_duties import grid_duty_record
    from liaison.services.reception import visit_record
    from organisation.services import grid_create
    from tests.reports.seed import seed_street, year_dates

    street = seed_street(deputies=deputies - 1)  # the seed adds one deliberation representative
    today = timezone.localdate()
    centre = street.grids[0].centre
    dates = year_dates(3)
    for i, deputy in enumerate(street.deputies[2:]):
        grid = grid_create(centre=centre, name=f"基准网格{i}", code=f"BENCH{i:04d}")
        grid_assignment_create(grid=grid, deputy=deputy, start_date=datetime.date(today.year, 1, 1), role="leader")
        for k, day in enumerate(dates):
            visit_record(
                actor=street.office,
                station=street.area,
                date=day,
                channel="at_station",
                headcount=2 + k,
                deputies=[deputy],
                opinions=[
                    {"category": "traffic", "content": f"路口信号灯时长不合理（{deputy.name}）", "outcome": "filed"}
                ],
            )
        for month in range(1, today.month + 1, 2):
            grid_duty_record(
                deputy=deputy, grid=grid, kind=GridDutyKind.PATROL, date=datetime.date(today.year, month, 1),
                actor=street.office,
            )  # fmt: skip
    return street


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def bench_memory(deputies) -> dict:
    from reports import documents

    year = datetime.date.today().year
    marks = {}
    for n in range(1, 51):
        documents.deputy_document(deputies[n % len(deputies)], year).render()
        if n in (5, 50):
            marks[n] = peak_rss_mb()
    return {"peak_rss_mb_after_5": round(marks[5], 1), "peak_rss_mb_after_50": round(marks[50], 1),
            "ratio": round(marks[50] / marks[5], 3)}  # fmt: skip


def bench_single(deputy, repeat: int) -> dict:
    from weasyprint import HTML

    from reports import documents
    from reports.pdf.render import local_only_url_fetcher

    year = datetime.date.today().year
    documents.deputy_document(deputy, year).render()  # warm caches (fonts, templates) for both sides
    end_to_end, alone = [], []
    html = documents.deputy_document(deputy, year).html()
    HTML(string=html).write_pdf()
    for _ in range(repeat):
        start = time.perf_counter()
        result = documents.deputy_document(deputy, year).render()
        end_to_end.append(time.perf_counter() - start)
        start = time.perf_counter()
        HTML(string=html, base_url=str(ROOT), url_fetcher=local_only_url_fetcher()).write_pdf()
        alone.append(time.perf_counter() - start)
    e2e, weasy = statistics.median(end_to_end), statistics.median(alone)
    return {"pages": result.pages, "end_to_end_s": round(e2e, 3), "weasyprint_alone_s": round(weasy, 3),
            "ratio": round(e2e / weasy, 3), "runs": repeat}  # fmt: skip


def bench_batch(street) -> dict:
    from django.db import transaction

    from reports import services
    from reports.models import ReportJob
    from reports.tasks import generate_report

    with transaction.atomic():
        # Queued on commit and run inline in this thread (the test settings keep the no-broker background
        # thread off), so the time measured is the job's.
        start = time.perf_counter()
        job = services.report_job_request(user=street.leader, kind="batch", subject_id=None, year=street.year)
    elapsed = time.perf_counter() - start
    job = ReportJob.objects.get(id=job.id)
    if job.status != "done":  # the job had been queued elsewhere: run it here
        start = time.perf_counter()
        generate_report.apply(args=[job.id])
        elapsed = time.perf_counter() - start
        job.refresh_from_db()
    from reports.figures import deputies_of

    count = deputies_of(None).count()
    return {"deputies": count, "pages": job.pages, "status": job.status, "total_s": round(elapsed, 1),
            "per_deputy_s": round(elapsed / count, 3), "file_mb": round(job.file.size / 2**20, 2)}  # fmt: skip


def machine() -> dict:
    def run(*command):
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return ""

    import weasyprint

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    return {"nproc": run("nproc"), "cpu": cpu, "free_h": run("free", "-h"), "python": platform.python_version(),
            "weasyprint": weasyprint.__version__, "load_average": os.getloadavg()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deputies", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup(args.database_url)
    started = time.perf_counter()
    street = seed(args.deputies)
    seeded = time.perf_counter() - started
    from reports.figures import deputies_of

    deputies = list(deputies_of(None))
    results = {"machine": machine(), "seed_s": round(seeded, 1)}
    results["memory"] = bench_memory(deputies)
    results["single"] = bench_single(street.main, args.repeat)
    results["batch"] = bench_batch(street)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
