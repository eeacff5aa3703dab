"""Realistic, invented Chinese names and phone numbers, drawn from a seeded generator."""

import random

# Common family names, the frequent ones repeated so that they come up more often (with a
# Cantonese flavour: 梁, 区, 谭, 甄 are frequent in Jiangmen).
FAMILY_NAMES = (
    "陈陈陈陈李李李黄黄黄梁梁梁林林吴吴张张刘刘王王谭谭冯冯何何"
    "罗郑周许邓杨赵朱胡郭高谢蔡叶钟区甄余曾苏彭卢潘江严麦司容邝简汤莫"
)
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健俊志文国建永海东庆荣锦卓振德嘉宏诚家耀添浩锐铭"
FEMALE_CHARS = "芳娜敏静丽艳娟霞玲燕慧婷雪琳颖洁倩萍红梅秀兰丹莉佳欣雅淑惠珊蓉月凤咏诗韵怡晓"
MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "159", "186", "133")


class NameMaker:
    """Draws person names and phone numbers, never the same one twice from one maker."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._names: set[str] = set()
        self._phones: set[str] = set()

    def reserve(self, name: str, phone: str) -> None:
        """Keep a hand-picked person's name and phone out of the draws."""
        self._names.add(name)
        self._phones.add(phone)

    def person(self, gender: str | None = None) -> tuple[str, str]:
        """Return ``(name, gender)``; gender is ``"male"`` or ``"female"``."""
        gender = gender or self.rng.choice(("male", "male", "female"))
        chars = MALE_CHARS if gender == "male" else FEMALE_CHARS
        while True:
            given_length = 1 if self.rng.random() < 0.3 else 2
            name = self.rng.choice(FAMILY_NAMES) + "".join(self.rng.choice(chars) for _ in range(given_length))
            if name not in self._names and len(set(name)) == len(name):
                self._names.add(name)
                return name, gender

    def mobile(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + "".join(self.rng.choice("0123456789") for _ in range(8))
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def landline(self) -> str:
        return "0750-3" + "".join(self.rng.choice("0123456789") for _ in range(6))
