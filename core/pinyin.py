"""Pinyin search keys for Chinese names, so a searchable select finds 谭咏诗 from "tys" or "tanyong".

``pinyin_keys("谭咏诗")`` is ``"tys tanyongshi"``: the initials, then the full syllables, lower case
and without separators. Text without Han characters has no keys (``""``): its own letters already match.
"""

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

HAN = re.compile(r"[\u3400-\u9fff]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _joined(parts: list[str]) -> str:
    return _NOT_ALNUM.sub("", "".join(parts).lower())


@lru_cache(maxsize=8192)
def pinyin_keys(text: str) -> str:
    text = str(text or "")
    if not HAN.search(text):
        return ""
    initials = _joined(lazy_pinyin(text, style=Style.FIRST_LETTER))
    full = _joined(lazy_pinyin(text))
    return f"{initials} {full}"
