"""``core.form_renderer``: selects written out in Python are the templates' markup, character for character."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import translation
from django.utils.safestring import mark_safe

from core.form_renderer import SELECT, SelectRenderer


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("1", "谭咏诗"), ("2", "A & <b>B</b>"), ("3", "Zoë")])
    grouped = forms.ChoiceField(
        choices=[
            ("网格", [("g1", "一网格"), ("g2", "二网格")]),
            ("其他", [("x", mark_safe("<i>安全</i>"))]),
            ("y", "无组"),
        ]
    )
    many = forms.MultipleChoiceField(choices=[(1, "甲"), (2, "乙"), (3, "丙")], required=False)
    yes_no = forms.NullBooleanField()
    attrs = forms.ChoiceField(
        choices=[("a", "选项")],
        widget=forms.Select(
            attrs={"class": 'x" onmouseover="alert(1)', "disabled": True, "hidden": False, "data-n": 3}
        ),
    )
    radio = forms.ChoiceField(choices=[("a", "甲")], widget=forms.RadioSelect)  # not a select: templates as before


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "2", "grouped": "g2", "many": ["1", "3"], "yes_no": "true", "attrs": "a"},
        {"plain": "<script>", "grouped": "nope", "many": ["9"], "yes_no": "maybe"},
    ],
)
def test_selects_render_as_the_templates_do(language, data, monkeypatch):
    class Fast(SelectRenderer):
        templates = []

        def get_template(self, template_name):
            self.templates.append(template_name)
            return super().get_template(template_name)

    with translation.override(language):
        for name in Choices.base_fields:
            expected = str(Choices(data=data, renderer=TemplatesSetting())[name])
            actual = str(Choices(data=data, renderer=Fast())[name])
            assert actual == expected, name
    assert SELECT not in Fast.templates and Fast.templates  # only the radio buttons went through templates


def test_the_empty_choice_reads_please_choose_and_options_carry_pinyin_keys():
    with translation.override("zh-hans"):
        html = str(Choices(renderer=SelectRenderer())["plain"])
    assert '<option value="" selected>请选择</option>' in html
    assert 'data-pinyin="tys tanyongshi">谭咏诗</option>' in html
    assert "A &amp; &lt;b&gt;B&lt;/b&gt;" in html
