"""The form renderer: the project's widget templates, with selects written out in Python.

Widgets render through the project's templates (``templates/django/forms/``), which refine Django's:
every option carries pinyin search keys and the empty choice reads 「请选择」. Django's select template
includes the option template once per option, and an include costs about as much as a small page
fragment: a list page whose filter offers a few hundred stations, grids and deputies spent half its
rendering time there. ``SelectRenderer`` writes a select whose options use the project's option
template directly, with the same markup, character for character (``tests/core/test_form_renderer.py``
compares both on every kind of select); any other widget, or an option with another template, goes
through the templates as before.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

from core.pinyin import pinyin_keys

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# The label Django gives the empty choice of a model field; the option template shows 「请选择」 instead.
DJANGO_EMPTY_LABEL = "---------"


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` in an autoescaping template."""
    text = str(value)
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
        )
    return "".join(parts)


def _option(option: dict, please_choose: str) -> str:
    """``templates/django/forms/widgets/select_option.html``."""
    label = option["label"]
    keys = pinyin_keys(str(label))
    pinyin = f' data-pinyin="{conditional_escape(keys)}"' if keys else ""
    shown = please_choose if str(label) == DJANGO_EMPTY_LABEL else conditional_escape(label)
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}{pinyin}>{shown}</option>'


def render_select(widget: dict) -> str | None:
    """The markup of ``django/forms/widgets/select.html`` for a widget context, or None when an option
    uses another template (then the templates render it)."""
    please_choose = conditional_escape(gettext("Please choose"))
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            parts.append("\n  " + _option(option, please_choose))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


class SelectRenderer(TemplatesSetting):
    """``TemplatesSetting`` (the project's templates), with selects rendered by ``render_select``."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT and "widget" in context:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
