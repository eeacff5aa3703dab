"""Pinyin search keys on select options: initials and full syllables, 「请选择」 for Django's dashes."""

from django import forms
from django.utils import translation

from core.pinyin import pinyin_keys


def test_keys_are_initials_then_full_pinyin():
    assert pinyin_keys("谭咏诗") == "tys tanyongshi"
    assert pinyin_keys("范罗岗社区第1网格") == "flgsqd1wg fanluogangshequdi1wangge"


def test_text_without_han_characters_has_no_keys():
    assert pinyin_keys("A-1 Grid") == ""
    assert pinyin_keys("") == ""


class _Form(forms.Form):
    person = forms.ChoiceField(choices=[("", "---------"), ("1", "谭咏诗"), ("2", "Alice")])


def test_every_select_option_carries_its_keys_and_the_empty_choice_reads_please_choose():
    with translation.override("zh-hans"):
        html = str(_Form()["person"])
    assert '<option value="1" data-pinyin="tys tanyongshi">谭咏诗</option>' in html
    assert '<option value="2">Alice</option>' in html
    assert "---------" not in html and ">请选择</option>" in html
