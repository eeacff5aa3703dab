"""Time a station's annual PDF (figures, template, charts, WeasyPrint) in one database; used by bench/city.py.

    .venv/bin/python bench/station_pdf.py --database-url URL --staff USERNAME [--year Y] [--repeat N]

The station is the first one the staff member ``USERNAME`` is attached to (an area station: the area and
its community points). Prints one JSON object: the station, its pages, the render times in seconds and
the number of SQL statements of one render. The first render (fonts, templates) is not counted.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--staff", required=True)
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from core import clock
    from reports.documents import station_document

    year = args.year or clock.today().year
    station = User.objects.get(username=args.staff).stations.order_by("id").first()
    result = station_document(station, year).render()  # warm-up
    times = []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.monotonic()
            result = station_document(station, year).render()
            times.append(time.monotonic() - started)
    print(
        json.dumps(
            {
                "station": station.name,
                "kind": station.kind,
                "year": year,
                "pages": getattr(result, "pages", None),
                "seconds": times,
                "queries": len(queries),
            }
        )
    )


if __name__ == "__main__":
    main()
