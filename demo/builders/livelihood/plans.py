"""The three cycles' candidate projects, with the votes, sub-items and ratings each is given."""

from dataclasses import dataclass, field

from demo.builders.units import STREET_OFFICE
from livelihood.models import ProposerKind

STREET_TITLE = "{year}年白沙街道民生实事项目"
PRESENT = 58  # deputies at the voting meeting (议政代表会 and congress deputies of the street)
ABSENT_FROM_VOTE = 2  # present but did not hand in a ballot: they still count for the majority

HOUSING = "蓬江区住房和城乡建设局"
TRANSPORT = "蓬江区交通运输局"
URBAN = "蓬江区城市管理和综合执法局"
EDUCATION = "蓬江区教育局"
HEALTH = "蓬江区卫生健康局"
CIVIL = "蓬江区民政局"
MARKET = "蓬江区市场监督管理局"
ENVIRONMENT = "江门市生态环境局蓬江分局"
POLICE = "江门市公安局蓬江分局白沙派出所"


@dataclass
class Plan:
    title: str
    unit: str
    budget: str
    description: str
    proposer: str = ProposerKind.DEPARTMENT
    proposer_name: str = ""
    votes_for: int = 0
    sub_items: list = field(default_factory=list)
    # Evaluation: how many of the raters chose 满意 and 基本满意 (the rest 不满意).
    satisfied: int = 0
    basically: int = 0


LAST_YEAR = [
    Plan(
        "老旧小区改造提升",
        HOUSING,
        "1860",
        "对8个老旧小区实施雨污分流、外立面整治、楼道照明和消防通道改造。",
        ProposerKind.OPINION,
        votes_for=54,
        sub_items=[
            ("北街小区雨污分流", "620"),
            ("甘化路小区外立面整治", "480"),
            ("胜利路小区楼道照明", "260"),
            ("长堤路小区消防通道", "500"),
        ],
        satisfied=34,
        basically=5,
    ),
    Plan(
        "背街小巷路灯亮化工程",
        URBAN,
        "320",
        "为辖区23条背街小巷新装、更换LED路灯，消除夜间照明盲区。",
        ProposerKind.CONSTITUENT,
        "黄先生",
        votes_for=52,
        sub_items=[("范罗岗片区亮化", "120"), ("江华片区亮化", "110"), ("良化南片区亮化", "90")],
        satisfied=33,
        basically=6,
    ),
    Plan(
        "社区长者饭堂建设",
        CIVIL,
        "240",
        "新建3个社区长者饭堂，为辖区老年人提供助餐服务。",
        ProposerKind.DEPUTY,
        votes_for=51,
        sub_items=[("江华社区长者饭堂", "80"), ("美景社区长者饭堂", "80"), ("兴盛社区长者饭堂", "80")],
        satisfied=36,
        basically=3,
    ),
    Plan(
        "学校周边交通安全设施改善",
        TRANSPORT,
        "180",
        "在辖区5所中小学周边增设护学岗、减速带、人行横道和交通标志。",
        ProposerKind.SUGGESTION,
        votes_for=49,
        sub_items=[("白沙小学周边", "70"), ("范罗岗小学周边", "60"), ("江门二中周边", "50")],
        satisfied=30,
        basically=8,
    ),
    Plan(
        "城市内涝点整治",
        HOUSING,
        "950",
        "整治白沙大道西、建设三路等6处易涝点，提升排水能力。",
        votes_for=47,
        sub_items=[("白沙大道西易涝点", "380"), ("建设三路易涝点", "320"), ("北街易涝点", "250")],
        satisfied=25,
        basically=11,
    ),
    Plan(
        "口袋公园建设",
        URBAN,
        "210",
        "利用边角地建设2个口袋公园，增加居民休闲空间。",
        ProposerKind.OPINION,
        votes_for=46,
        sub_items=[("兴盛路口袋公园", "110"), ("美景路口袋公园", "100")],
        satisfied=32,
        basically=6,
    ),
    Plan(
        "农贸市场升级改造",
        MARKET,
        "400",
        "对白沙农贸市场进行排水、通风、档口和智慧计量升级。",
        votes_for=44,
        sub_items=[("市场排水通风改造", "250"), ("智慧计量系统", "150")],
        satisfied=28,
        basically=9,
    ),
    Plan(
        "社区卫生服务站标准化建设",
        HEALTH,
        "160",
        "按标准改造2个社区卫生服务站，完善设备和签约服务。",
        ProposerKind.DEPUTY,
        votes_for=41,
        sub_items=[("江华社区卫生服务站", "80"), ("范罗岗社区卫生服务站", "80")],
        satisfied=31,
        basically=7,
    ),
    Plan(
        "一户一表改造",
        HOUSING,
        "520",
        "对仍为总表供水的小区实施一户一表改造，解决水费分摊纠纷。",
        ProposerKind.CONSTITUENT,
        "陈女士",
        votes_for=38,
        sub_items=[("良化南小区一户一表", "270"), ("甘化路小区一户一表", "250")],
        satisfied=18,
        basically=15,
    ),
    Plan(
        "公共厕所改造提升",
        URBAN,
        "150",
        "改造提升6座公共厕所，增设无障碍和第三卫生间。",
        votes_for=35,
        sub_items=[("白沙公园公厕", "80"), ("长堤路公厕", "70")],
        satisfied=29,
        basically=8,
    ),
    # More than half of those present voted for it, but it ranks eleventh: not selected.
    Plan("电动自行车集中充电设施建设", URBAN, "90", "在20个小区建设电动自行车集中充电棚。", votes_for=33),
    Plan(
        "社区文化长廊改造",
        STREET_OFFICE,
        "60",
        "改造白沙社区文化长廊，展示街区历史。",
        ProposerKind.DEPUTY,
        votes_for=27,
    ),
    Plan("河涌沿岸绿道建设", ENVIRONMENT, "700", "沿白沙河涌建设2公里绿道。", ProposerKind.OPINION, votes_for=22),
]

THIS_YEAR = [
    Plan(
        "既有住宅加装电梯补贴",
        HOUSING,
        "600",
        "对符合条件的既有住宅加装电梯给予补贴。",
        ProposerKind.OPINION,
        votes_for=53,
    ),
    Plan("社区综合服务中心适老化改造", CIVIL, "220", "对4个社区综合服务中心进行适老化改造。", votes_for=51),
    Plan(
        "中小学课后托管服务",
        EDUCATION,
        "150",
        "在辖区小学开展课后托管和暑期托管服务。",
        ProposerKind.DEPUTY,
        votes_for=50,
    ),
    Plan(
        "北街—兴盛路道路贯通工程",
        TRANSPORT,
        "1200",
        "打通北街至兴盛路断头路，缓解交通拥堵。",
        ProposerKind.SUGGESTION,
        votes_for=47,
    ),
    Plan("新能源汽车充电桩建设", URBAN, "180", "在公共停车场建设60个充电桩。", votes_for=45),
    Plan(
        "社区智慧安防建设",
        POLICE,
        "260",
        "为12个开放式小区安装视频门禁和智能监控。",
        ProposerKind.CONSTITUENT,
        "李先生",
        votes_for=44,
    ),
    Plan(
        "社区居家养老服务站", CIVIL, "140", "新建2个居家养老服务站，提供日间照料。", ProposerKind.DEPUTY, votes_for=40
    ),
    Plan("农贸市场周边停车规范", TRANSPORT, "80", "施划停车位、设置临时停车区，规范市场周边停车。", votes_for=36),
    Plan("社区图书室提质", STREET_OFFICE, "40", "更新4个社区图书室藏书和设备。", votes_for=31),
    Plan("绿化带补植", URBAN, "70", "补植主干道绿化带缺株。", ProposerKind.CONSTITUENT, "周女士", votes_for=26),
    Plan("社区篮球场翻新", EDUCATION, "55", "翻新3个社区篮球场地面和照明。", votes_for=20),
]
THIS_YEAR_PLACES = 8
# Projects (by position) whose second milestone is left overdue, so reminders have something to send.
THIS_YEAR_OVERDUE = {2, 5}

NEXT_YEAR = [
    Plan("社区嵌入式托育点", CIVIL, "120", "在2个社区建设普惠托育点。", ProposerKind.DEPUTY),
    Plan("白沙大道西人行天桥加装电梯", TRANSPORT, "450", "为人行天桥加装无障碍电梯。", ProposerKind.OPINION),
    Plan("老旧管网更新", HOUSING, "800", "更新辖区老旧供水和燃气管网。"),
]
