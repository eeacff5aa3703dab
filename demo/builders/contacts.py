"""双联 contact work at the demo street: voter contacts (联系选民) of the deputies with linked constituents.

Last year and this year to date, each deputy who keeps linked constituents contacted voters
a number of times that depends on how diligent they are, so that the performance files show
deputies above and below the ten contacts a year expected. The featured deputy (``demo_deputy``)
recorded their own and is above ten this year; the office recorded the others'. Created only
when no contact exists yet, through the service.
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from demo.builders.base import DemoContext
from deputies.models import Deputy
from duties.models import VoterContact, VoterContactWay
from duties.services.contacts import voter_contact_record

OFFICE = "demo_office"
DEPUTY = "demo_deputy"

# Ways of contact, how many people each usually reaches, and what such contacts were about.
WAYS = [
    (
        VoterContactWay.PHONE,
        1,
        1,
        ["电话回访加装电梯进展，听取邻里意见", "电话反馈上次所提意见的办理结果", "电话了解小区停车收费调整的反映"],
    ),
    (
        VoterContactWay.HOME_VISIT,
        1,
        4,
        ["入户了解独居老人助餐需求", "走访困难家庭，了解帮扶政策落实情况", "入户听取加装电梯低层住户的顾虑"],
    ),
    (
        VoterContactWay.IN_PERSON,
        1,
        3,
        ["走访商户了解夜间噪音扰民问题", "回访学校门口交通安全设施落实情况", "了解老旧小区雨污分流改造施工影响"],
    ),
    (
        VoterContactWay.WECHAT,
        3,
        30,
        ["微信群收集小区停车管理意见", "微信群征集社区卫生服务站服务时间的建议", "微信群通报河涌清淤进度并答疑"],
    ),
    (
        VoterContactWay.MEETING,
        6,
        25,
        ["座谈听取居民对垃圾分类投放点设置的意见", "院落恳谈会讨论楼道杂物清理", "小板凳会听取民生实事项目建议"],
    ),
]


def build(ctx: DemoContext) -> None:
    if VoterContact.objects.exists():
        ctx.log("contacts: already present")
        return
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=[OFFICE, DEPUTY])}
    featured = users[DEPUTY].deputy_id
    created = 0
    deputies = Deputy.objects.filter(is_active=True, constituent_links__isnull=False).distinct().order_by("id")
    for deputy in deputies:
        links = list(deputy.constituent_links.order_by("id"))
        diligence = ctx.rng.random()
        actor = users[DEPUTY] if deputy.id == featured else users[OFFICE]
        for year, last_day in ((today.year - 1, date(today.year - 1, 12, 31)), (today.year, today - timedelta(days=1))):
            span = (last_day - date(year, 1, 1)).days
            if span < 1:
                continue
            # Between 4 and 16 contacts over a full year; the featured deputy keeps well above ten.
            target = 14 if deputy.id == featured else round(4 + 12 * diligence)
            count = max(1, round(target * span / 365))
            for _ in range(count):
                way, low, high, subjects = ctx.rng.choice(WAYS)
                voter_contact_record(
                    deputy=deputy,
                    date=date(year, 1, 1) + timedelta(days=ctx.rng.randint(0, span)),
                    way=way,
                    subject=ctx.rng.choice(subjects),
                    people=ctx.rng.randint(low, high),
                    constituent=ctx.rng.choice(links) if way != VoterContactWay.MEETING and links else None,
                    actor=actor,
                )
                created += 1
    ctx.log(f"contacts: {created} voter contacts of {deputies.count()} deputies")
