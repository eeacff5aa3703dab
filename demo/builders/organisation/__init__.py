"""The demo street's organisation: stations (1+4+N), communities, grids, deputies and their links.

白沙街道 has one hub (代表之家), four area stations (片区实践站) with two community points
(社区实践点) each, ten grid centres with four unit grids each, and 62 people: 50 congress deputies
across the five levels (several hold two levels, e.g. 区、镇两级) and 12 议政代表.

Everything is generated from the builder's seeded generator before anything is written; then each
row is looked up by its natural key and, when missing, created through the organisation services,
so a second run finds every row and creates nothing.
"""

from demo.builders.base import DemoContext
from demo.builders.organisation.plan import make_plan
from demo.builders.organisation.save import save
from demo.builders.organisation.street import AREA_GROUP, AREAS, FEATURED_DEPUTY, HUB_NAME

# The street's names that the other builders use.
__all__ = ["AREA_GROUP", "AREAS", "FEATURED_DEPUTY", "HUB_NAME", "build"]


def build(ctx: DemoContext) -> None:
    plan = make_plan(ctx)
    save(ctx, plan)
