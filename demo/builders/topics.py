"""Hot topics at the demo street: a few problems raised at several stations and grids this month and last.

Opinions are recorded through the liaison service at the stations of the street (elevators stopping in
several communities, one congested crossing, electric bikes charged on flying leads, square-dance noise),
then every opinion not yet in a topic is placed right away with the same service the background task
runs, so the 热点 page has its topics whether or not a worker is running. Recorded only when absent.
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from demo.builders.base import DemoContext
from demo.builders.reception.content import OFFICE
from liaison.models import Opinion
from liaison.services.opinions import opinion_create
from organisation.models import Grid, Station
from topics.selectors import unplaced_opinion_ids
from topics.services import topic_place_opinion

# (category, days ago, content): the stations and grids are drawn in turn.
OPINIONS = [
    ("property", 3, "美景花园5栋电梯又停了，困人的事情上周刚发生过，物业说等配件，大家很担心安全。"),
    ("property", 6, "我们楼的电梯这个月已经坏了三次了，每次都要等好几天才有人来修，楼上老人根本下不了楼。"),
    ("property", 9, "兴盛小区2号楼电梯维保不到位，按钮失灵、门关不上，年检标志也过期了。"),
    ("property", 12, "电梯困人两次了，报修电话打不通，请代表帮忙反映一下电梯维修的问题。"),
    ("property", 16, "住18楼，电梯停了快一个星期，我母亲腿脚不好只能待在家里，买菜都成问题。"),
    ("property", 40, "电梯经常突然停运，运行时还有异响，希望督促物业和维保单位认真检修。"),
    ("traffic", 2, "建设路和港口路交叉口每天早晚高峰堵得水泄不通，过一个路口要二十分钟。"),
    ("traffic", 5, "港口路建设路口太堵了，车辆乱加塞，交警能不能在高峰期派人疏导？"),
    ("traffic", 11, "建设路与港口路路口的车流越来越大，左转车道太短，经常排到后面的路口。"),
    ("traffic", 18, "晚高峰建设路、港口路交叉的地方车根本动不了，救护车都过不去。"),
    ("safety", 4, "小区没有电动车充电桩，很多人从楼上拉电线下来飞线充电，非常危险。"),
    ("safety", 8, "充电桩坏了一半没人修，居民只好在楼道里私拉电线给电单车充电。"),
    ("safety", 20, "兴盛社区的充电桩只有十几个，几百辆电动车排队充电，根本不够用。"),
    ("safety", 45, "楼道里停满了充电的电动车，消防检查说有火灾隐患，可是没有别的地方充电。"),
    ("environment", 7, "小区广场每天晚上跳广场舞到十点多，音响开得很大，孩子没法写作业。"),
    ("environment", 14, "美景公园跳舞的大妈把音箱开到最大声，周围住户投诉了很多次都没用。"),
    ("environment", 50, "广场舞噪音扰民，希望社区规定跳舞时间和音量，大家互相理解。"),
]


def build(ctx: DemoContext) -> None:
    today = timezone.localdate()
    office = User.objects.get(username=OFFICE)
    stations = list(
        Station.objects.filter(is_active=True, communities__grid_centres__grids__isnull=False).distinct().order_by("id")
    )
    recorded = 0
    if not Opinion.objects.filter(content=OPINIONS[0][2]).exists():
        for i, (category, days_ago, content) in enumerate(OPINIONS):
            station = stations[i % len(stations)]
            grids = list(Grid.objects.filter(centre__community__station=station).order_by("id")[:3])
            grid = grids[i % len(grids)]
            opinion_create(
                actor=office,
                station=station,
                # Never in last year, whose figures reproduce the annual report's.
                received_on=max(today - timedelta(days=days_ago), date(today.year, 1, 1)),
                data={"category": category, "content": content, "grid": grid},
            )
            recorded += 1
    placed = 0
    for opinion_id in reversed(unplaced_opinion_ids(limit=100_000)):
        topic_place_opinion(opinion_id=opinion_id)
        placed += 1
    ctx.log(f"hot topics: {recorded} opinions recorded, {placed} opinions placed in topics")
