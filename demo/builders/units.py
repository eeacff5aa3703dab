"""Handling units (承办单位): district departments, the communities' residents' committees, the street office."""

from demo.builders.base import DemoContext
from demo.builders.names import NameMaker
from demo.builders.organisation import AREAS
from organisation.models import HandlingUnit, UnitKind

STREET_OFFICE = "白沙街道办事处"
DEPARTMENTS = [
    "蓬江区住房和城乡建设局",
    "蓬江区交通运输局",
    "蓬江区城市管理和综合执法局",
    "蓬江区教育局",
    "蓬江区卫生健康局",
    "蓬江区民政局",
    "蓬江区市场监督管理局",
    "江门市生态环境局蓬江分局",
    "江门市公安局蓬江分局白沙派出所",
    "蓬江区自然资源局",
]
# The unit whose officer account the demo lists.
FEATURED_UNIT = "蓬江区住房和城乡建设局"


def build(ctx: DemoContext) -> None:
    names = NameMaker(ctx.rng)
    units = [(name, UnitKind.DEPARTMENT) for name in DEPARTMENTS]
    units += [
        (f"{community}社区居民委员会", UnitKind.COMMUNITY)
        for _address, communities in AREAS.values()
        for community in communities
    ]
    units.append((STREET_OFFICE, UnitKind.STREET_OFFICE))
    for name, kind in units:
        contact, _gender = names.person()
        HandlingUnit.objects.get_or_create(
            name=name, defaults={"kind": kind, "contact_person": contact, "phone": names.landline()}
        )
    ctx.log(f"{len(units)} handling units")
