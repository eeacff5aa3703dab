"""The reusable partials teammates include: pagination, filter form, empty state, key figure, table."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def render(template, context, path="/deputies/?level=county&page=2"):
    request = RequestFactory().get(path)
    with translation.override("zh-hans"):
        return render_to_string(template, context, request=request)


def test_pagination_keeps_the_filters_and_changes_only_the_page():
    page = Paginator(list(range(45)), 20).get_page(2)
    html = render("partials/pagination.html", {"page_obj": page})
    assert "第 21–40 条，共 45 条" in html
    assert 'href="?level=county&amp;page=3"' in html
    assert 'href="?level=county&amp;page=1"' in html
    assert "2 / 3" in html


def test_pagination_is_silent_on_a_single_page():
    page = Paginator(list(range(5)), 20).get_page(1)
    assert render("partials/pagination.html", {"page_obj": page}).strip() == ""


def test_empty_state_has_a_default_and_takes_a_title_and_message():
    assert "暂无内容" in render("partials/empty_state.html", {})
    html = render("partials/empty_state.html", {"title": "没有找到代表", "message": "请调整筛选条件。"})
    assert "没有找到代表" in html and "请调整筛选条件。" in html and "暂无内容" not in html


def test_key_figure_is_a_link_when_given_a_url_and_follows_the_number_format():
    html = render("partials/key_figure.html", {"label": "网格", "value": 6000, "url": "/stations/", "hint": "全市"})
    assert '<a class="figure" href="/stations/">' in html
    assert ">6000<" in html and "全市" in html  # Chinese number format: no thousands separator
    with translation.override("en"):
        assert "6,000" in render_to_string("partials/key_figure.html", {"label": "Grids", "value": 6000})
    plain = render("partials/key_figure.html", {"label": "网格", "value": 0, "alert": True})
    assert '<div class="figure alert">' in plain and ">0<" in plain.replace("\n", "").replace(" ", "")


def test_table_renders_values_links_numbers_and_an_empty_state():
    html = render(
        "partials/table.html",
        {
            "columns": ["站点", "网格"],
            "rows": [[{"text": "范罗岗片区实践站", "url": "/stations/2/"}, {"text": 8, "num": True}], ["兴盛", None]],
        },
    )
    assert '<th scope="col">站点</th>' in html
    assert '<a href="/stations/2/">范罗岗片区实践站</a>' in html
    assert '<td class="num">8</td>' in html
    assert "<td>兴盛</td>" in html and "<td>—</td>" in html
    assert "暂无内容" in render("partials/table.html", {"columns": ["站点"], "rows": []})


def test_filter_form_renders_labels_errors_and_reset():
    from django import forms

    class Form(forms.Form):
        q = forms.CharField(label="姓名", required=False)
        level = forms.ChoiceField(label="层级", choices=[("county", "县级")], required=False)

    form = Form({"level": "galactic"})
    form.is_valid()
    html = render("partials/filter_form.html", {"form": form})
    assert 'method="get"' in html
    assert "姓名" in html and "层级" in html
    assert "选择一个有效的选项" in html
    assert 'href="/deputies/"' in html  # reset drops every filter
