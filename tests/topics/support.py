"""Opinions for the topics tests, recorded through the liaison service and placed as the task places them."""

from datetime import date

from liaison.services.opinions import opinion_create
from topics.services import topic_place_opinion

ELEVATOR = (
    "我们楼的电梯这个月已经坏了三次了，楼上老人根本下不了楼。",
    "小区电梯经常突然停运，运行时还有异响，希望督促维保单位检修。",
    "电梯困人两次了，报修电话打不通，请帮忙反映电梯维修的问题。",
)
DOGS = (
    "小区里流浪狗越来越多，晚上追着人叫，小孩不敢出门。",
    "有人遛狗不拴绳，大狗直接扑向小孩，主人还说不会咬人。",
)
FUMES = "楼下新开的餐馆油烟直接排到住宅楼，家里窗户都不敢开。"


def record(street, content, *, station=None, grid=None, actor=None, day=date(2026, 11, 20), category="property"):
    station = station or street.a
    actor = actor or (street.staff_b if station == street.b else street.staff_a)
    return opinion_create(
        actor=actor,
        station=station,
        received_on=day,
        data={"category": category, "content": content, "grid": grid},
    )


def placed(street, content, **kwargs):
    opinion = record(street, content, **kwargs)
    topic_place_opinion(opinion_id=opinion.pk)
    return opinion
