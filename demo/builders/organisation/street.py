"""The demo street as it is: its stations and communities, the congresses, the deputies' mix and occupations."""

from datetime import date

from deputies.models import Level

STREET = "白沙街道"
ADDRESS_PREFIX = "广东省江门市蓬江区白沙街道"
HUB_NAME = "白沙街道代表之家"
HUB_ADDRESS = ADDRESS_PREFIX + "白沙大道西1号街道党群服务中心一楼"
# Opening hours name the reception day of the station's rule (demo.builders.reception): the hub receives
# on the 15th of every month, the area stations every Friday.
OPENING_HOURS = "周一至周五 8:30-12:00、14:30-17:30；每月15日为代表接待选民日"
AREA_OPENING_HOURS = "周一至周五 8:30-12:00、14:30-17:30；每周五为代表固定活动日"

# Area station → (address, the communities it covers, each with its own community point).
AREAS = {
    "范罗岗片区实践站": ("范罗岗路18号社区党群服务中心一楼", ("范罗岗", "侨苑")),
    "美景片区实践站": ("美景路2号美景社区活动中心", ("美景", "江华")),
    "兴盛片区实践站": ("兴盛路66号兴盛社区议事厅", ("兴盛", "良化南")),
    "甘化片区实践站": ("甘化路1号甘化厂遗址园区东门", ("甘化", "石湾")),
}
# The two largest communities have two grid centres each: ten centres in all.
TWO_CENTRE_COMMUNITIES = {"江华", "良化南"}
GRIDS_PER_CENTRE = 4
CENTRE_ORDINALS = "一二"

# Where each level's current term was elected: (congress, first year, constituency pattern).
CONGRESSES = {
    Level.NATIONAL: ("第十四届全国人民代表大会", 2023, "广东省"),
    Level.PROVINCIAL: ("广东省第十四届人民代表大会", 2023, "江门市"),
    Level.MUNICIPAL: ("江门市第十六届人民代表大会", 2022, "蓬江区"),
    Level.COUNTY: ("江门市蓬江区第十一届人民代表大会", 2021, "白沙街道第{n}选区"),
    Level.TOWNSHIP: ("蓬江区棠下镇第十八届人民代表大会", 2021, "棠下镇第{n}选区"),
}
TERM_YEARS = 5

# How many congress deputies hold each combination of levels (49, plus the featured deputy).
LEVEL_MIX = [
    ((Level.NATIONAL,), 1),
    ((Level.PROVINCIAL,), 1),
    ((Level.PROVINCIAL, Level.MUNICIPAL), 1),
    ((Level.MUNICIPAL,), 4),
    ((Level.MUNICIPAL, Level.COUNTY), 2),
    ((Level.COUNTY,), 18),
    ((Level.COUNTY, Level.TOWNSHIP), 10),
    ((Level.TOWNSHIP,), 12),
]
DELIBERATION_COUNT = 12
STANDING_COMMITTEE_COUNT = 4

# The deputy whose account the demo lists: 区、镇两级代表, teacher, leader of the first grid.
FEATURED_DEPUTY = {
    "name": "谭咏诗",
    "gender": "female",
    "birth_year": 1982,
    "party": "中共党员",
    "occupation": "白沙小学副校长",
    "profession": "education",
    "phone": "13926081537",
    "levels": (Level.COUNTY, Level.TOWNSHIP),
}

# Occupation → profession group key (None: no profession group).
OCCUPATIONS = [
    ("江门市第一中学教师", "education"),
    ("蓬江区实验幼儿园园长", "education"),
    ("江门职业技术学院讲师", "education"),
    ("退休教师", "education"),
    ("江门市第三人民医院心理科主任", "psychology"),
    ("心理咨询工作室负责人", "psychology"),
    ("蓬江区未成年人心理辅导站心理咨询师", "psychology"),
    ("白沙街道社区卫生服务中心全科医生", "health"),
    ("江门市中心医院护士长", "health"),
    ("江门市华信电子有限公司总经理", "business"),
    ("白沙农副产品市场经营户", "business"),
    ("五邑广告传媒有限公司负责人", "business"),
    ("个体工商户", "business"),
    ("广东侨乡律师事务所律师", None),
    ("物业服务公司项目经理", None),
    ("退休干部", None),
    ("外卖骑手", None),
    ("江门公交集团驾驶员", None),
    ("白沙街道社会工作服务站站长", None),
    ("供电所营业班班长", None),
]
COMMUNITY_POSTS = ["社区党委书记", "社区居委会主任", "社区党委副书记", "社区专职网格员"]
# For the national and provincial deputies, in order.
TOP_OCCUPATIONS = [
    ("江门市中心医院院长", "health"),
    ("五邑大学教育学院教授", "education"),
    ("广东侨乡律师事务所主任", None),
]
PARTIES = ["中共党员"] * 6 + ["群众"] * 2 + ["民盟盟员", "民进会员", "九三学社社员", "无党派人士"]

AREA_GROUP = "{area}代表小组"
PROFESSION_GROUPS = {
    "education": "教育代表小组",
    "psychology": "心理健康代表小组",
    "health": "医疗卫生代表小组",
    "business": "营商环境代表小组",
}

GRIDS_START = date(2023, 3, 1)  # 代表进网格 started that spring
LINKS_SINCE = date(2023, 1, 15)
ROADS = ["白沙大道西", "白沙大道中", "建设三路", "胜利路", "北街", "长堤路", "甘化路", "兴盛路", "范罗岗路", "美景路"]
