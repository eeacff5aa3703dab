"""One demo account per role, linked to the records that role works with.

The README lists these logins; the passwords are long and uncommon enough for the password policy.
"""

from dataclasses import dataclass

from accounts.models import User
from accounts.services import user_create
from core.roles import Role
from demo.builders.base import DemoContext
from demo.builders.organisation import FEATURED_DEPUTY
from demo.builders.units import FEATURED_UNIT
from deputies.models import Deputy
from organisation.models import HandlingUnit, Station

STAFF_STATION = "范罗岗片区实践站"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    last_name: str
    first_name: str


DEMO_USERS = [
    DemoUser("demo_staff", "Jiedai-Xuanmin-15th", Role.STATION_STAFF, "梁", "晓敏"),
    DemoUser("demo_deputy", "Wangge-Siyi-Lvzhi", Role.DEPUTY, "谭", "咏诗"),
    DemoUser("demo_office", "Jiaoban-Jianyi-2024", Role.OFFICE, "区", "志刚"),
    DemoUser("demo_unit", "Banli-Dafu-Zhujian", Role.UNIT_OFFICER, "冯", "嘉怡"),
    DemoUser("demo_leader", "Zhongdian-Duban-Gongwei", Role.LEADER, "何", "振德"),
    DemoUser("demo_admin", "Guanli-Baisha-Jiedao", Role.ADMIN, "甄", "家耀"),
]


def build(ctx: DemoContext) -> None:
    deputy = Deputy.objects.get(name=FEATURED_DEPUTY["name"], phone=FEATURED_DEPUTY["phone"])
    links = {
        Role.STATION_STAFF: {"stations": [Station.objects.get(name=STAFF_STATION)]},
        Role.DEPUTY: {"deputy": deputy},
        Role.UNIT_OFFICER: {"unit": HandlingUnit.objects.get(name=FEATURED_UNIT)},
    }
    created = 0
    for demo_user in DEMO_USERS:
        if User.objects.filter(username=demo_user.username).exists():
            continue
        user_create(
            username=demo_user.username,
            password=demo_user.password,
            role=demo_user.role,
            last_name=demo_user.last_name,
            first_name=demo_user.first_name,
            **links.get(demo_user.role, {}),
        )
        created += 1
    ctx.log(f"{len(DEMO_USERS)} demo accounts ({created} new)")
