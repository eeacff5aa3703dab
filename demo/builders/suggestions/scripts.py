"""The scripted suggestions: who raises each one and every step of its handling."""

from demo.builders.units import FEATURED_UNIT

TRAFFIC = "蓬江区交通运输局"
URBAN = "蓬江区城市管理和综合执法局"
STREET = "白沙街道办事处"

# Each script: title, category, content, lead ("me" = the demo deputy, "b", "c"), co-signers, steps.
# Steps: ("wait", days) moves everything so far that many days back.
SCRIPTS = [
    (
        "关于在侨苑社区增设长者饭堂的建议",
        "elderly_care",
        "侨苑社区60岁以上老人占比近三成，独居老人就餐不便，建议依托社区党群服务中心增设长者饭堂，提供助餐服务。",
        "me",
        ["b"],
        [("cosign", "b", True)],
    ),
    (
        "关于规范白沙市场周边占道经营的建议",
        "urban_construction",
        "白沙农副产品市场周边早晚占道经营严重，影响通行和环境卫生，建议划定临时疏导点并加强巡查。",
        "me",
        ["c"],
        [],  # waiting for the co-signer
    ),
    (
        "关于增开美景社区至江门站公交线路的建议",
        "traffic",
        "美景社区居民前往江门站需换乘两次，建议增开直达公交线路或调整现有线路走向。",
        "b",
        [],
        [("submit",), ("wait", 2)],
    ),
    (
        "关于整治甘化路沿线噪音扰民的建议",
        "environment",
        "甘化路沿线夜间货车通行噪音大，附近居民反映强烈，建议限定货车通行时段并设置降噪设施。",
        "me",
        [],
        [("submit",), ("wait", 12)],  # assignment overdue
    ),
    (
        "关于我家邻居违章搭建的投诉",
        "other",
        "邻居在楼顶违章搭建，影响我家采光，希望有关部门处理。",
        "c",
        [],
        [
            ("submit",),
            ("wait", 3),
            ("return", "属个人具体诉求，建议通过12345热线或街道信访渠道反映，不作为代表建议办理。"),
        ],
    ),
    (
        "关于撤回增设临时停车位的建议",
        "traffic",
        "江华社区周边临时停车位不足。",
        "me",
        [],
        [("submit",), ("wait", 4), ("withdraw", "经与社区沟通，该问题已通过共享车位方式解决，申请撤回。")],
    ),
    (
        "关于加装范罗岗老旧小区电梯的建议",
        "urban_construction",
        "范罗岗片区多个老旧小区为六层无电梯住宅，老人上下楼困难，建议统筹推进加装电梯并给予资金补助。",
        "me",
        ["b", "c"],
        [
            ("cosign", "b", True),
            ("cosign", "c", True),
            ("submit",),
            ("wait", 3),
            ("assign", FEATURED_UNIT, [STREET], True),
            ("wait", 2),
        ],
    ),
    (
        "关于修复良化南社区破损路面的建议",
        "urban_construction",
        "良化南社区主干道路面多处破损积水，雨天出行困难，建议尽快修复。",
        "b",
        [],
        [("submit",), ("wait", 2), ("assign", FEATURED_UNIT, [], False), ("wait", 1), ("ack",), ("wait", 100)],
    ),
    (
        "关于完善白沙小学周边交通安全设施的建议",
        "traffic",
        "白沙小学上下学高峰人车混行，建议增设护学岗、减速带和人行横道信号灯。",
        "me",
        ["b"],
        [
            ("cosign", "b", True),
            ("submit",),
            ("wait", 3),
            ("assign", TRAFFIC, [FEATURED_UNIT], True),
            ("wait", 2),
            ("ack_as", TRAFFIC),
            ("wait", 10),
            ("co_opinion", FEATURED_UNIT, "同意在学校路口增设人行横道，相关施工由我局配合。"),
            ("wait", 60),
            ("supervise", "leader", "学生上下学安全无小事，请交通运输局加快办理并按期答复。", True),
            ("wait", 40),
        ],  # in progress, overdue, under key supervision
    ),
    (
        "关于兴盛社区背街小巷环境整治的建议",
        "environment",
        "兴盛社区背街小巷存在垃圾堆放、飞线充电等问题，建议开展集中整治。",
        "c",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", URBAN, [], False),
            ("wait", 1),
            ("ack_as", URBAN),
            ("wait", 5),
            ("extend_as", URBAN, 60, "涉及多个部门联合执法，需协调供电、消防等单位，申请延期。"),
            ("wait", 2),
        ],  # an extension waiting for the office
    ),
    (
        "关于设立社区心理咨询室的建议",
        "medical",
        "部分青少年存在心理健康问题，建议在社区党群服务中心设立心理咨询室，定期开展心理辅导。",
        "b",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", URBAN, [], False),
            ("wait", 1),
            ("request_return_as", URBAN, "该事项属卫生健康和教育部门职责，不属于城市管理范畴，申请退回重新交办。"),
        ],  # a return request waiting for the office
    ),
    (
        "关于江华社区积水点改造的建议",
        "urban_construction",
        "江华社区江华路段每逢大雨即积水，建议改造排水管网。",
        "me",
        [],
        [
            ("submit",),
            ("wait", 3),
            ("assign", FEATURED_UNIT, [URBAN], False),
            ("wait", 2),
            ("ack",),
            ("wait", 20),
            ("contact", "meeting", "到现场与代表共同查看积水点"),
            ("wait", 30),
            ("reply", "B", "已将江华路排水管网改造列入明年市政计划，汛期前先行疏通管道并增设临时抽水设备。"),
            ("wait", 3),
        ],  # replied, waiting for the deputy's evaluation
    ),
    (
        "关于优化社区卫生服务站开放时间的建议",
        "medical",
        "社区卫生服务站周末不开放，上班族看病不便，建议周末安排值班。",
        "me",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", FEATURED_UNIT, [], False),
            ("wait", 1),
            ("ack",),
            ("wait", 25),
            ("reply", "D", "经研究，该事项不属于本局职责，已转卫生健康部门参考。"),
            ("wait", 5),
            ("evaluate", "unsatisfied", "答复未回应实际问题，未与代表沟通。"),
            ("wait", 6),
        ],  # re-handling: a second reply is due within a month
    ),
    (
        "关于路灯照明不足的建议",
        "safety",
        "侨苑路段路灯间距大、照度不足，夜间行人安全存在隐患，建议加密路灯。",
        "b",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", URBAN, [], False),
            ("wait", 1),
            ("ack_as", URBAN),
            ("wait", 15),
            ("contact_as", URBAN, "phone", "电话告知代表处理进度"),
            ("reply_as", URBAN, "A", "已在侨苑路段新增路灯12盏，并对原有路灯进行检修，照度已达标。"),
            ("wait", 5),
            ("evaluate_as", "b", "satisfied", "办理及时，效果明显。"),
            ("wait", 10),
        ],  # closed, A, satisfied
    ),
    (
        "关于推进垃圾分类投放点建设的建议",
        "environment",
        "部分小区垃圾分类投放点设置不合理，建议优化布局并配备督导员。",
        "me",
        ["c"],
        [
            ("cosign", "c", True),
            ("submit",),
            ("wait", 3),
            ("assign", URBAN, [STREET], False),
            ("wait", 1),
            ("ack_as", URBAN),
            ("wait", 40),
            ("co_opinion", STREET, "街道将配合做好投放点选址和督导员招募。"),
            ("wait", 20),
            ("reply_as", URBAN, "B", "已完成首批10个小区投放点改造，其余小区列入明年计划分批推进。", True),
            ("wait", 4),
            ("evaluate", "basically_satisfied", "希望加快推进。"),
            ("wait", 30),
            ("follow_up_as", URBAN, "第二批8个小区投放点已完成选址，预计下季度建成。", False),
            ("wait", 5),
        ],  # closed with a B reply, follow-up continuing
    ),
    (
        "关于建设社区口袋公园的建议",
        "urban_construction",
        "美景社区缺少休闲活动场地，建议利用闲置地块建设口袋公园。",
        "c",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", FEATURED_UNIT, [], False),
            ("wait", 2),
            ("ack",),
            ("wait", 110),  # past three months: this reply comes late
            ("reply", "C", "闲置地块权属尚未理顺，待土地整备完成后再行规划建设。"),
            ("wait", 5),
            ("evaluate_as", "c", "unsatisfied", "答复过于笼统。"),
            ("wait", 2),
            ("contact", "meeting", "约见代表当面说明地块情况"),
            ("wait", 20),
            ("reply", "C", "已与自然资源部门联合摸查，计划明年完成地块收储后启动建设，建设期间先行设置临时休闲设施。"),
            ("wait", 3),
            ("evaluate_as", "c", "basically_satisfied", "请继续跟进。"),
            ("wait", 4),
        ],  # closed after re-handling, C reply
    ),
    (
        "关于优化营商环境减少重复检查的建议",
        "business",
        "辖区小微企业反映多部门重复检查，建议推行联合检查和信用分级监管。",
        "me",
        [],
        [
            ("submit",),
            ("wait", 3),
            ("assign", STREET, [], False),
            ("wait", 1),
            ("ack_as", STREET),
            ("wait", 30),
            ("reply_as", STREET, "A", "街道已牵头建立联合检查机制，同一企业同一事项一年内原则上只检查一次。", True),
            ("wait", 4),
            ("evaluate", "satisfied", ""),
            ("wait", 2),
            ("supervise", "office", "纳入年度优秀建议候选。", None),
        ],
    ),
]


# --- The record behind the risk list (逾期风险) ---------------------------------------------------------
# Over the past year 城管局 answered five of its eight construction suggestions after the three months,
# 交通运输局 all six of its traffic ones in time; so its open construction item, whose co-unit has not
# given its opinion, heads the risk list with its reasons, and the new traffic item sits low on it.


def _past(title, category, content, unit, *, days_to_reply, days_since, reply_class="B"):
    """A suggestion of the past year: assigned, answered after ``days_to_reply`` days (late beyond the
    three months), rated, and ``days_since`` days ago."""
    return (
        title,
        category,
        content,
        "c",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", unit, [], False),
            ("wait", 1),
            ("ack_as", unit),
            ("wait", days_to_reply),
            ("reply_as", unit, reply_class, "经研究，已按建议安排落实，具体进度另行告知。", True),
            ("wait", 3),
            ("evaluate_as", "c", "basically_satisfied", ""),
            ("wait", days_since),
        ],
    )


_URBAN_PAST = [
    ("关于整治白沙大道沿线违规广告牌的建议", 105, 40),
    ("关于清理兴盛社区楼道杂物的建议", 112, 80),
    ("关于修复范罗岗社区破损人行道的建议", 48, 120),
    ("关于规范甘化片区夜市摊点的建议", 118, 150),
    ("关于拆除美景社区违建雨棚的建议", 101, 60),
    ("关于增设白沙市场垃圾转运点的建议", 52, 200),
    ("关于整治侨苑路共享单车乱停放的建议", 109, 20),
    ("关于修缮兴盛社区休闲广场的建议", 45, 100),
]
_TRAFFIC_PAST = [
    ("关于延长白沙大道公交末班车时间的建议", 35, 30),
    ("关于增设范罗岗社区公交候车亭的建议", 42, 90),
    ("关于优化甘化路口信号灯配时的建议", 28, 140),
    ("关于在美景小学门口设置减速带的建议", 50, 60),
    ("关于增开白沙至北街社区微循环公交的建议", 38, 180),
    ("关于规范兴盛路货车停放的建议", 46, 10),
]

RISK_SCRIPTS = [
    *(
        _past(
            title, "urban_construction", title[2:-3] + "，居民反映多次。", URBAN, days_to_reply=reply, days_since=since
        )
        for title, reply, since in _URBAN_PAST
    ),
    *(
        _past(title, "traffic", title[2:-3] + "，方便群众出行。", TRAFFIC, days_to_reply=reply, days_since=since)
        for title, reply, since in _TRAFFIC_PAST
    ),
    (
        "关于改造白沙街道老旧排水管网的建议",
        "urban_construction",
        "白沙街道多个老旧小区排水管网老化，雨季频繁返水，建议整体改造并同步实施雨污分流。",
        "b",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", URBAN, [STREET], True),
            ("wait", 1),
            ("ack_as", URBAN),
            ("wait", 68),
        ],  # at risk: a late-prone lead unit, the street's opinion not in, three weeks left
    ),
    (
        "关于在江华路增设公交专用道的建议",
        "traffic",
        "江华路早晚高峰公交车行驶缓慢，建议在高峰时段设置公交专用道。",
        "b",
        [],
        [("submit",), ("wait", 2), ("assign", TRAFFIC, [], False), ("wait", 1), ("ack_as", TRAFFIC), ("wait", 14)],
    ),
]
SCRIPTS += RISK_SCRIPTS
