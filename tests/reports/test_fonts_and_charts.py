import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from reports import charts
from reports.pdf.fonts import pdf_font_families
from reports.pdf.render import page_counter_css

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def _check(tmp_path, fontconfig: str | None):
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings_test", "PYTHONPATH": str(ROOT)})
    if fontconfig is not None:
        config = tmp_path / "fonts.conf"
        config.write_text(fontconfig)
        env["FONTCONFIG_FILE"] = str(config)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--tag", "reports"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_startup_check_fails_with_install_instructions_without_a_cjk_font(tmp_path):
    # A fontconfig that knows no fonts at all: the machine as if fonts-noto-cjk were not installed.
    empty = (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{tmp_path / 'no-fonts'}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    result = _check(tmp_path, empty)
    assert result.returncode != 0
    assert "reports.E001" in result.stderr
    assert "apt-get install fonts-noto-cjk" in result.stderr


def test_startup_check_passes_with_the_installed_fonts(tmp_path):
    result = _check(tmp_path, None)
    assert result.returncode == 0, result.stderr
    choice = pdf_font_families()
    assert "CJK SC" in choice.serif.family and "CJK SC" in choice.sans.family


def test_page_counter_is_built_from_the_translated_phrase():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert page_counter_css() == '"第 " counter(page) " 页 共 " counter(pages) " 页"'
    with translation.override("en"):
        assert page_counter_css() == '"Page " counter(page) " of " counter(pages)'


def _parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    return root


def test_bar_chart_draws_one_bar_per_value_and_escapes_labels():
    svg = charts.bar_chart(
        ["1月", "2月", "<script>"],
        [charts.Series("接待人次", [36, 0, 24]), charts.Series("社情民意", [12, 9, 6])],
        title='各月 "统计"',
    )
    root = _parse(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 6
    assert "<script>" not in str(svg) and "&lt;script&gt;" in str(svg)
    heights = [float(b.get("height")) for b in bars]
    # Bars go label by label, series by series: 36, 12, 0, 9, 24, 6.
    assert heights[0] > heights[4] > heights[2] == 0


def test_line_and_horizontal_charts_and_empty_data():
    line = _parse(charts.line_chart(["1月", "2月", "3月"], [charts.Series("人次", [1, 5, 3])], title="t"))
    assert len(list(line.iter(f"{SVG}circle"))) == 3
    hbar = _parse(charts.hbar_chart(["住建局", "交通局"], [0.8, 0.5], title="办结率", percent=True))
    assert "80%" in ET.tostring(hbar, encoding="unicode")
    empty = _parse(charts.bar_chart(["1月"], [charts.Series("人次", [0])], title="t", empty_message="暂无数据"))
    assert "暂无数据" in ET.tostring(empty, encoding="unicode")
