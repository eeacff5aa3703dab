"""The year before last at the demo staff's station, brought in from its reception ledger (台账) through
the ledger import, as a station joining the product would do it.

The sample ledger is written here for that year (so it is always "the year before last", whatever the
date the demo is seeded on): a merged title row and a note above the headers, dates in the spellings
clerks use, outcomes in the ledger's own words. It is then checked and imported by the product's
import service as ``demo_staff``: the import log lists it, each opinion says which ledger row it came
from, and that year's statistics are the ledger's own totals (``SAMPLE_TOTALS``).
"""

from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.models import User
from core import clock
from demo.builders.accounts import STAFF_STATION
from demo.builders.reception.content import ANSWERS, MATTERS, STAFF
from imports import services
from imports.models import BatchStatus, ImportBatch
from imports.reception import columns
from organisation.models import Grid, HandlingUnit, Station, UnitKind

ROWS = 24
OUTCOME_WORDS = {"answered_on_site": "当场答复", "referred": "转交办理", "filed": "存档备查"}
CATEGORY_WORDS = {
    "urban_construction": "城建",
    "traffic": "交通出行",
    "environment": "环境卫生",
    "education": "教育",
    "medical": "医疗",
    "elderly_care": "养老",
    "property": "物业管理",
    "safety": "安全",
    "business": "营商环境",
    "other": "其他",
}


def ledger_name(year: int) -> str:
    return f"{STAFF_STATION}接待台账（{year}年）.xlsx"


def sample_rows(year: int, rng) -> list[dict]:
    station = Station.objects.get(name=STAFF_STATION)
    subtree = [station.id, *Station.objects.within(station).values_list("id", flat=True)]
    deputies = list(station.resident_deputies.order_by("id").values_list("name", flat=True)[:6]) or [""]
    grids = list(
        Grid.objects.filter(centre__community__station_id__in=subtree).order_by("code").values_list("name", flat=True)
    )
    unit = HandlingUnit.objects.filter(kind=UnitKind.COMMUNITY, is_active=True).order_by("id").first()
    rows = []
    for n in range(ROWS):
        day = date(year, 1, 8) + timedelta(days=15 * n + rng.randrange(5))
        category = rng.choice(list(MATTERS))
        outcome = rng.choice(["answered_on_site", "answered_on_site", "referred", "filed"])
        if outcome == "referred" and unit is None:
            outcome = "filed"
        handled = day + timedelta(days=rng.randrange(0, 6))
        resolved = handled + timedelta(days=rng.randrange(10, 50)) if outcome == "referred" and n % 2 else None
        spelled = [day, f"{day.year}.{day.month}.{day.day}", f"{day.year}年{day.month}月{day.day}日"][n % 3]
        rows.append(
            {
                "登记编号": f"FLG-{year}-{n + 1:03d}",
                "联络站": STAFF_STATION,
                "接待日期": spelled,
                "接待方式": "进站接待",
                "接待代表": "、".join(rng.sample(deputies, min(len(deputies), rng.choice((1, 2))))),
                "网格": rng.choice(grids) if grids and rng.random() < 0.6 else None,
                "来访人数": rng.choice((1, 1, 2, 3)),
                "意见类别": CATEGORY_WORDS[category],
                "意见内容": rng.choice(MATTERS[category]),
                "处理方式": OUTCOME_WORDS[outcome],
                "转交单位": unit.name if outcome == "referred" else None,
                "处理日期": handled,
                "处理说明": rng.choice(ANSWERS) if outcome == "answered_on_site" else None,
                "办结日期": resolved,
                "办结情况": "社区已处理完毕并回访群众" if resolved else None,
            }
        )
    return rows


def sample_ledger(rows: list[dict], year: int) -> bytes:
    headers = [column.header for column in columns()]
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年"
    sheet.append([f"{STAFF_STATION}群众来访接待登记台账（{year}年度）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(["填报单位：" + STAFF_STATION])
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(header) for header in headers])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sample_totals(rows: list[dict]) -> dict:
    """What the ledger itself adds up to (the figures its year must show once imported)."""
    return {
        "visits_person_times": sum(row["来访人数"] for row in rows),
        "opinions": len(rows),
        "answered_on_site": sum(1 for row in rows if row["处理方式"] == "当场答复"),
        "escalated": 0,
        "resolved": sum(1 for row in rows if row["办结日期"]),
    }


def build(ctx) -> None:
    year = clock.today().year - 2
    name = ledger_name(year)
    if ImportBatch.objects.filter(file_name=name, status=BatchStatus.IMPORTED).exists():
        ctx.log(f"history: {name} already imported")
        return
    staff = User.objects.get(username=STAFF)
    rows = sample_rows(year, ctx.rng)
    upload = SimpleUploadedFile(name, sample_ledger(rows, year))
    batch = services.batch_upload(actor=staff, kind="reception", upload=upload)
    services.batch_check(batch_id=batch.id)  # inline: the queued check finds it done and does nothing
    batch.refresh_from_db()
    if batch.status != BatchStatus.READY:
        raise RuntimeError(f"The demo ledger does not check: {batch.errors[:3]}")
    services.batch_confirm(batch=batch, actor=staff)
    result = services.batch_import(batch_id=batch.id)
    if result != "imported":
        batch.refresh_from_db()
        raise RuntimeError(f"The demo ledger was not imported ({result}): {batch.errors[:3] or batch.failure}")
    ctx.log(f"history: {ROWS} opinions of {year} imported from {name}")
