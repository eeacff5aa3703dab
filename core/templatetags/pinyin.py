"""``{{ label|pinyin_keys }}``: pinyin search keys of a label (core.pinyin), for searchable selects."""

from django import template

from core.pinyin import pinyin_keys as _pinyin_keys

register = template.Library()


@register.filter
def pinyin_keys(value) -> str:
    return _pinyin_keys(str(value))
