"""Chinese text to the terms hot topics compare: jieba words plus character bigrams.

Why both. Constituents write the same problem in many ways (「电梯坏了」「电梯停运」「升降梯卡住」): the
segmented words carry the meaning when the segmenter cuts well, and the character bigrams catch what it
cuts differently or does not know (place names such as 「港口路」, run-together phrases such as
「路灯不亮」), so two opinions that share 「港口」「口路」 still meet when jieba split one as 港口/路 and the
other as 港/口路. Bigrams weigh half a word: they are many and noisier.

jieba (pinned in requirements.txt) ships its dictionary inside the package; nothing is downloaded. Its
prefix dictionary is built once per process (about a second) and cached in the system's temporary
directory. A short list of function words and generic complaint words (「希望」「反映」「问题」) is
dropped; everything else is left to the inverse document frequency, which weighs down words that every
opinion uses.
"""

import logging
import re
import threading
import unicodedata
from collections import Counter

import jieba

from topics.thesaurus import CONCEPT_WEIGHT, concepts

WORD_WEIGHT = 0.5
BIGRAM_WEIGHT = 0.15
MAX_TERM_LENGTH = 40
BIGRAM_PREFIX = "#"
CONCEPT_PREFIX = "@"

# Words that say nothing about which problem an opinion raises.
STOPWORDS = frozenset(
    """
    的 了 是 在 有 和 与 及 也 都 又 就 还 很 太 更 最 把 被 让 给 对 向 从 到
    为 以 于 而 但 却 或 等 着 过 吗 呢 吧 啊 呀 我 你 他 她 它 我们 你们 他们
    她们 大家 自己 咱们 这 那 这个 那个 这些 那些 这里 那里 这边 那边 这样 那样 哪 一个
    一些 一下 一直 已经 经常 每天 天天 现在 目前 最近 近期 今年 去年 时候 的话 还是 只能
    只好 根本 完全 真的 非常 十分 特别 比较 越来越 一点 好几 好几次 几次 多次 不少 很多
    许多 所有 一样 不要 不能 不会 没有 不是 能不能 希望 建议 要求 请求 恳请 呼吁 请 麻烦
    谢谢 感谢 尽快 及时 马上 赶紧 能否 是否 可以 能够 应该 需要 怎么 什么 为什么 有关
    有关部门 相关 相关部门 政府 部门 领导 代表 人大代表 问题 情况 反映 意见 事情 居民 群众
    市民 住户 业主 百姓 解决 处理 关注 重视 帮忙 帮助 协调 落实 一下子 影响 造成 导致
    存在 出现 进行 发生 感觉 觉得 认为 知道 看到 听说
    """.split()
)

# A few spellings people use for the same thing, folded before segmentation. Kept short and general:
# these are the everyday variants of the station's common subjects, not a fit to any test set.
SYNONYMS = (
    ("升降梯", "电梯"),
    ("升降机", "电梯"),
    ("电瓶车", "电动车"),
    ("电单车", "电动车"),
    ("电动自行车", "电动车"),
    ("社康中心", "社区卫生服务中心"),
    ("社康", "社区卫生服务中心"),
    ("卫生站", "社区卫生服务中心"),
    ("红绿灯", "信号灯"),
    ("交通灯", "信号灯"),
    ("天然气", "燃气"),
    ("煤气", "燃气"),
    ("液化气", "燃气"),
    ("长者食堂", "长者饭堂"),
    ("老人饭堂", "长者饭堂"),
    ("堵车", "拥堵"),
    ("塞车", "拥堵"),
)

# Words jieba's general dictionary lacks or cuts apart, common in this product's opinions.
DOMAIN_WORDS = (
    "加装电梯",
    "飞线充电",
    "充电桩",
    "广场舞",
    "长者饭堂",
    "高空抛物",
    "占道经营",
    "消防通道",
    "河涌",
    "黑臭",
    "垃圾清运",
    "老旧小区",
    "托育",
    "学位",
    "油烟",
    "内涝",
    "积水",
    "水压",
    "路灯",
    "信号灯",
    "人行道",
    "电信诈骗",
)

_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"^(?:[\u3400-\u9fff]+|[a-z0-9]*[a-z][a-z0-9]*)$")
_ready = False
_lock = threading.Lock()


def _initialise() -> None:
    global _ready
    with _lock:
        if _ready:
            return
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for word in DOMAIN_WORDS:
            jieba.add_word(word, freq=20000)
        _ready = True


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, the synonyms above folded."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    for variant, canonical in SYNONYMS:
        text = text.replace(variant, canonical)
    return text


def words(text: str) -> list[str]:
    """jieba's words of ``text`` (precise mode), stopwords and punctuation dropped; single characters kept."""
    if not _ready:
        _initialise()
    return [
        w
        for w in jieba.lcut(normalise(text))
        if w not in STOPWORDS and _WORD.match(w) and len(w) <= MAX_TERM_LENGTH and not w.isdigit()
    ]


def features(text: str) -> Counter:
    """The weighted terms of ``text``: concepts (``@`` prefixed), words and bigrams (``#`` prefixed).

    Bigrams are taken inside each run of Chinese characters of the words kept, so they never bridge a
    dropped stopword or punctuation.
    """
    result: Counter = Counter()
    for concept in concepts(normalise(text)):
        result[CONCEPT_PREFIX + concept] += CONCEPT_WEIGHT
    kept = words(text)
    for word in kept:
        if len(word) > 1:
            result[word] += WORD_WEIGHT
    # Runs of consecutive kept words (stopwords break a run) give the bigrams.
    joined = "".join(kept)
    for run in _CJK.findall(joined):
        for i in range(len(run) - 1):
            result[BIGRAM_PREFIX + run[i : i + 2]] += BIGRAM_WEIGHT
    return result
