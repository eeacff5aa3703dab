"""The city's figures: sizes at scale 1, shares of suggestion states and opinion outcomes, texts."""

from liaison.models import OpinionCategory, OpinionOutcome, VisitChannel
from suggestions.models import State

SEED = "city-scale"
CITY_PASSWORD = "City-Scale-Bench-2026"
BATCH = 5000

# Figures at scale 1.
STREETS = 30  # × (1 hub + 4 areas + 15 points) = 600 stations
AREAS_PER_STREET = 4
POINTS_PER_AREA = 4  # 16 points per street, minus one: the last area has three
GRIDS_PER_POINT = 3
DEPUTIES = 5000
UNITS = 120
VISITS = 700_000
OPINIONS = 1_000_000
SUGGESTIONS = 180_000
YEARS = 5

# Suggestion states and their shares (the rest of the lifecycle is derived from the state).
STATE_WEIGHTS = {
    State.DRAFT: 3,
    State.SUBMITTED: 4,
    State.RETURNED: 2,
    State.ASSIGNED: 6,
    State.IN_PROGRESS: 10,
    State.REPLIED: 8,
    State.REHANDLING: 2,
    State.CLOSED: 62,
    State.WITHDRAWN: 3,
}
OUTCOME_WEIGHTS = {
    None: 8,
    OpinionOutcome.ANSWERED_ON_SITE: 40,
    OpinionOutcome.REFERRED: 30,
    OpinionOutcome.ESCALATED: 5,
    OpinionOutcome.FILED: 17,
}
CATEGORIES = list(OpinionCategory.values)
CHANNELS = list(VisitChannel.values)
MATTERS = (
    "小区路灯损坏，夜间出行不便",
    "路口信号灯时长不合理，行人过街困难",
    "老旧小区加装电梯进展缓慢",
    "菜市场周边占道经营严重",
    "社区卫生服务站缺少儿科医生",
    "河涌有异味，希望加强治理",
    "学校周边上下学时段交通拥堵",
    "长者饭堂用餐名额不足",
    "物业管理费上涨未公示",
    "电动自行车充电设施不足",
)
