"""The year before last at the demo staff's station, brought in from its reception ledger (台账) and its
suggestion-handling ledger (建议办理台账) through the ledger import, as a station joining the product would
do it.

The sample ledger is written here for that year (so it is always "the year before last", whatever the
date the demo is seeded on): a merged title row and a note above the headers, dates in the spellings
clerks use, outcomes in the ledger's own words. It is then checked and imported by the product's
import service as ``demo_staff``: the import log lists it, each opinion says which ledger row it came
from, and that year's statistics are the ledger's own totals (``sample_totals``). The suggestion ledger
is imported the same way: its suggestions are recorded through the suggestion services with the ledger's
dates, so that year's 办复率, 按期率, 办结率 and 满意率 are its own totals (``suggestion_totals``).
"""

from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.models import User
from core import clock
from demo.builders.accounts import STAFF_STATION
from demo.builders.reception.content import ANSWERS, MATTERS, STAFF
from deputies.models import Deputy
from imports import services
from imports.models import BatchStatus, ImportBatch
from imports.reading import parse_date
from imports.reception import columns
from imports.suggestion_ledger import columns as suggestion_columns
from organisation.models import Grid, HandlingUnit, Station, UnitKind
from suggestions.deadlines import add_months

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


SUGGESTION_TITLES = (
    ("关于增设背街小巷路灯的建议", "城建"),
    ("关于优化早高峰公交班次的建议", "交通出行"),
    ("关于整治河道沿岸垃圾的建议", "环境卫生"),
    ("关于扩大社区托育服务的建议", "教育"),
    ("关于在社区卫生服务站增设夜间门诊的建议", "医疗"),
    ("关于建设社区老年食堂的建议", "养老"),
    ("关于规范老旧小区物业收费的建议", "物业管理"),
    ("关于加强电动自行车充电安全管理的建议", "安全"),
    ("关于为小微企业提供一站式办事窗口的建议", "营商环境"),
    ("关于增设社区便民服务点的建议", "其他"),
)
REPLY_CLASSES = ("A", "B", "A", "C", "A", "B", "A", "D", "A", "B")
LATE_ROWS = (0, 4, 8)  # first replies given after the three months
REHANDLED = {1: ("A", "基本满意"), 5: ("A", "满意"), 7: ("D", "不满意")}  # first 不满意, then the second reply


def suggestion_ledger_name(year: int) -> str:
    return f"{STAFF_STATION}建议办理台账（{year}年）.xlsx"


def _spelled(day: date, n: int):
    return [day, f"{day.year}.{day.month}.{day.day}", f"{day.year}年{day.month}月{day.day}日"][n % 3]


def suggestion_rows(year: int) -> list[dict]:
    """Ten suggestions of the station's resident deputies that year, every one handled and closed."""
    station = Station.objects.get(name=STAFF_STATION)
    names = list(station.resident_deputies.order_by("id").values_list("name", flat=True))
    deputies = [name for name in names if Deputy.objects.filter(name=name).count() == 1][:4]
    units = list(HandlingUnit.objects.filter(is_active=True).order_by("id").values_list("name", flat=True)[:3])
    rows = []
    for n, (title, category) in enumerate(SUGGESTION_TITLES):
        submitted = date(year, n + 1, 5 + n % 3)
        assigned = submitted + timedelta(days=3 + n % 4)
        replied = assigned + timedelta(days=100 if n in LATE_ROWS else 60 + n)
        rated = replied + timedelta(days=5)
        row = {
            "建议编号": f"JY-{year}-{n + 1:02d}",
            "建议标题": title,
            "建议内容": f"{title[2:-3]}，群众反映集中，建议有关部门研究解决。",
            "领衔代表": deputies[n % len(deputies)],
            "附议代表": deputies[(n + 1) % len(deputies)] if len(deputies) > 1 and n % 2 else None,
            "联络站": STAFF_STATION,
            "建议类别": category,
            "提交日期": _spelled(submitted, n),
            "交办日期": _spelled(assigned, n + 1),
            "主办单位": units[n % len(units)],
            "协办单位": units[(n + 1) % len(units)] if n % 3 == 0 and len(units) > 1 else None,
            "沟通联系日期": assigned + timedelta(days=20) if n % 2 == 0 else None,
            "沟通方式": "见面沟通" if n % 2 == 0 else None,
            "答复日期": _spelled(replied, n + 2),
            "答复类别": REPLY_CLASSES[n] + "类",
            "答复内容": "已研究办理，具体情况详见答复函。",
            "代表评价": "不满意" if n in REHANDLED else ("满意" if n % 3 else "基本满意"),
            "评价日期": rated,
        }
        if n in REHANDLED:
            reply_class, rating = REHANDLED[n]
            row.update(
                {
                    "再次答复日期": rated + timedelta(days=20),
                    "再次答复类别": reply_class,
                    "再次答复内容": "经再次办理，已落实整改。",
                    "再次评价": rating,
                    "再次评价日期": rated + timedelta(days=25),
                }
            )
        rows.append(row)
    return rows


def suggestion_ledger(rows: list[dict], year: int) -> bytes:
    headers = [column.header for column in suggestion_columns()]
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年"
    sheet.append([f"{STAFF_STATION}代表建议办理情况台账（{year}年度）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(["填报单位：" + STAFF_STATION])
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(header) for header in headers])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def suggestion_totals(rows: list[dict]) -> dict:
    """What the suggestion ledger adds up to: 交办, 办复, 按期 (within three months of 交办), 办结, 满意."""
    final = [row.get("再次评价") or row["代表评价"] for row in rows]
    return {
        "assigned": len(rows),
        "replied": sum(1 for row in rows if row.get("答复日期")),
        "on_time": sum(1 for row in rows if parse_date(row["答复日期"]) <= add_months(parse_date(row["交办日期"]), 3)),
        "closed": len(final),
        "satisfied": sum(1 for rating in final if rating in ("满意", "基本满意")),
    }


def _import(*, staff, kind: str, name: str, data: bytes) -> ImportBatch:
    """Check and import a ledger inline, as the import page would after the user confirms it."""
    batch = services.batch_upload(actor=staff, kind=kind, upload=SimpleUploadedFile(name, data))
    services.batch_check(batch_id=batch.id)  # inline: the queued check finds it done and does nothing
    batch.refresh_from_db()
    if batch.status != BatchStatus.READY:
        raise RuntimeError(f"The demo ledger {name} does not check: {batch.errors[:3]}")
    services.batch_confirm(batch=batch, actor=staff)
    result = services.batch_import(batch_id=batch.id)
    if result != "imported":
        batch.refresh_from_db()
        raise RuntimeError(f"The demo ledger {name} was not imported ({result}): {batch.errors[:3] or batch.failure}")
    return batch


def build(ctx) -> None:
    year = clock.today().year - 2
    staff = User.objects.get(username=STAFF)
    name = ledger_name(year)
    if ImportBatch.objects.filter(file_name=name, status=BatchStatus.IMPORTED).exists():
        ctx.log(f"history: {name} already imported")
    else:
        rows = sample_rows(year, ctx.rng)
        _import(staff=staff, kind="reception", name=name, data=sample_ledger(rows, year))
        ctx.log(f"history: {ROWS} opinions of {year} imported from {name}")
    name = suggestion_ledger_name(year)
    if ImportBatch.objects.filter(file_name=name, status=BatchStatus.IMPORTED).exists():
        ctx.log(f"history: {name} already imported")
        return
    rows = suggestion_rows(year)
    _import(staff=staff, kind="suggestions", name=name, data=suggestion_ledger(rows, year))
    ctx.log(f"history: {len(rows)} suggestions of {year} imported from {name}")
