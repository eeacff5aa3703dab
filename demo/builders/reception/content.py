"""What the reception builder writes: the matters constituents raise, answers, feedback, activities."""

from duties.models import ActivityKind
from liaison.models import VisitChannel

OFFICE = "demo_office"
STAFF = "demo_staff"
DEPUTY = "demo_deputy"
UNIT_OFFICER = "demo_unit"

# Last year's street-wide figures, as the report gives them (328 / 96 / 79 / 17 / 33).
LAST_YEAR = {"person_times": 328, "answered_on_site": 79, "escalated": 17, "resolved": 33}

# One matter each (一事一条), by category, in the words constituents use.
MATTERS = {
    "urban_construction": [
        "老旧小区外墙瓷砖脱落，存在安全隐患，希望尽快加固",
        "小区雨污管网老化，下雨天污水倒灌",
        "希望为多层住宅加装电梯提供政策指导",
        "巷道路面坑洼不平，老人出行容易摔倒",
    ],
    "traffic": [
        "白沙大道西路口早晚高峰拥堵，建议优化红绿灯配时",
        "学校门口缺少斑马线和减速带",
        "公交站台没有遮雨棚，下雨天候车不便",
        "小区周边电动车乱停放，占用盲道",
    ],
    "environment": [
        "河涌有异味，夏天蚊虫多，希望清淤",
        "垃圾分类投放点清运不及时",
        "夜间施工噪音扰民",
        "绿化带杂草丛生，需要修剪",
    ],
    "education": [
        "希望增加社区托育服务点",
        "放学后孩子无人看管，建议开设四点半课堂",
        "学校周边文具店销售“三无”零食",
    ],
    "medical": [
        "社区卫生服务中心看病排队时间长",
        "希望增加家庭医生上门服务次数",
        "慢性病药品在社区拿不到，需要跑大医院",
    ],
    "elderly_care": [
        "希望在社区设立长者饭堂",
        "独居老人缺少定期探访",
        "老年活动中心设施陈旧",
    ],
    "property": [
        "物业费上涨但服务没有改善",
        "小区电梯经常故障，维修不及时",
        "业委会换届迟迟未启动",
    ],
    "safety": [
        "楼道堆放杂物，消防通道堵塞",
        "小区路灯损坏多日未修",
        "电动车在楼道充电存在火灾隐患",
    ],
    "business": [
        "农贸市场摊位租金过高，希望规范收费",
        "个体户办理营业执照手续繁琐",
    ],
    "other": [
        "希望社区多举办文体活动",
        "社区公告栏信息更新不及时",
    ],
}
ANSWERS = [
    "已当场向群众解释相关政策和办理流程",
    "代表现场联系社区，明确了处理时限并告知群众",
    "已告知群众办理渠道和所需材料",
    "经核实已列入今年改造计划，已向群众说明",
]
FEEDBACK = ["已到现场查看，正在安排处理", "已完成整改，群众表示满意", "已纳入年度计划，分步实施"]
ACTIVITIES = [
    (ActivityKind.INSPECTION, "视察老旧小区改造工程"),
    (ActivityKind.RESEARCH, "调研社区居家养老服务"),
    (ActivityKind.LAW_ENFORCEMENT_CHECK, "《消防法》执法检查"),
    (ActivityKind.STATION_INQUIRY, "站点问政：城市管理“急难愁盼”"),
    (ActivityKind.COUNCIL, "民生议事会：加装电梯协调"),
    (ActivityKind.TRAINING, "代表履职能力培训"),
    (ActivityKind.THEME_EVENT, "“代表集中履职月”主题活动"),
]
CHANNELS = [VisitChannel.AT_STATION] * 6 + [
    VisitChannel.PHONE,
    VisitChannel.WECHAT,
    VisitChannel.ONLINE,
    VisitChannel.COURTYARD_TALK,
    VisitChannel.COUNCIL,
]
