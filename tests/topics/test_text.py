"""Segmentation and similarity, without a database."""

import math

from topics.similarity import MemoryStore, cosine, place, rare_terms, vectorise
from topics.text import BIGRAM_PREFIX, CONCEPT_PREFIX, features, normalise, words


def test_words_are_segmented_and_stopwords_dropped():
    result = words("我们小区3栋的电梯又停运了，希望物业尽快维修！")
    assert "电梯" in result and "停运" in result and "物业" in result
    for dropped in ("我们", "的", "希望", "尽快", "3", "，", "！"):
        assert dropped not in result


def test_full_width_and_synonyms_are_folded():
    assert normalise("ＡＢＣ升降梯") == "abc电梯"
    assert words("电瓶车") == words("电动车")


def test_features_hold_concepts_words_and_bigrams():
    f = features("建设路和港口路交叉口早晚高峰拥堵")
    assert CONCEPT_PREFIX + "路口" in f and CONCEPT_PREFIX + "拥堵" in f
    assert "建设路" in f
    assert BIGRAM_PREFIX + "港口" in f
    # Concepts weigh most, bigrams least.
    assert f[CONCEPT_PREFIX + "拥堵"] > f["建设路"] > f[BIGRAM_PREFIX + "港口"]


def test_bigrams_never_bridge_punctuation():
    f = features("电梯，坏了")
    assert BIGRAM_PREFIX + "梯坏" in f  # the comma is dropped with the stopwords, the words join
    assert not any("，" in term for term in f)


def test_vectors_are_unit_length_and_empty_text_gives_nothing():
    v = vectorise(features("路灯不亮，晚上走路不安全"), {}, 10)
    assert math.isclose(math.sqrt(sum(w * w for w in v.values())), 1.0)
    assert vectorise(features("，。！"), {}, 10) == {}


def test_same_problem_is_closer_than_a_different_one():
    a = vectorise(features("电梯又坏了，老人下不了楼"), {}, 100)
    b = vectorise(features("楼里电梯停运一个星期，没人来修"), {}, 100)
    c = vectorise(features("广场舞音响太吵，晚上睡不着"), {}, 100)
    assert cosine(a, b) > 0.5 > cosine(a, c)


def test_common_terms_do_not_pick_candidates_once_the_corpus_is_large():
    vector = {"小区": 0.5, "电梯": 0.5, "港口路": 0.7}
    df = {"小区": 600, "电梯": 20, "港口路": 3}
    assert set(rare_terms(vector, df, 1000)) == {"电梯", "港口路"}
    assert set(rare_terms(vector, df, 100)) == set(vector)  # too few documents for the cut


def test_memory_store_groups_one_problem_and_keeps_another_apart():
    store = MemoryStore()
    texts = [
        "我们楼的电梯这个月坏了三次，老人下不了楼",
        "小区电梯停运好几天了，物业说等配件",
        "电梯困人，报修电话打不通，请督促维修",
        "楼下广场舞的音乐太吵了，影响休息",
        "广场舞音响开到最大声，晚上睡不着",
    ]
    topics = [store.add(i, features(t)) for i, t in enumerate(texts)]
    assert topics[0] == topics[1] == topics[2]
    assert topics[3] == topics[4] != topics[0]
    # The centroid norm is kept incrementally: |Σ v|² equals the sum of the squared posting weights.
    for topic, norm_sq in store.norm_sq.items():
        direct = sum(p.get(topic, 0.0) ** 2 for p in store.postings.values())
        assert math.isclose(norm_sq, direct, rel_tol=1e-9)


def test_a_text_unlike_any_topic_starts_its_own():
    store = MemoryStore()
    store.add("a", features("电梯坏了没人修"))
    placement = place(features("防范电信诈骗的宣传要多用方言讲"), store)
    assert placement.topic_id is None
