"""Each report kind rendered from seeded data and read back from the PDF with pypdf.

The figures printed must equal the seeded figures, every font must be embedded, every page
must carry "第 N 页 共 M 页", and no glyph may be missing from the fonts.
"""

import re

import pytest
from django.utils import translation

from deputies.models import Deputy
from organisation.models import Station
from reports import documents
from reports.pdf.render import html_to_pdf
from suggestions.models import Suggestion
from tests.reports import seed
from tests.reports.pdf_checks import flat, fonts, notdef_glyphs, page_texts

PAGE_NUMBER = re.compile(r"第(\d+)页共(\d+)页")


def render(document) -> bytes:
    result = document.render()
    assert result.missing_characters == set()
    return result.data


def assert_well_formed(data: bytes) -> list[str]:
    """Fonts embedded, page numbers on every page, no missing glyph; returns the flattened page texts."""
    texts = [flat(t) for t in page_texts(data)]
    assert len(texts) >= 2
    used = fonts(data)
    assert used, "no fonts found"
    for name, files in used.items():
        assert files & {"/FontFile", "/FontFile2", "/FontFile3"}, f"{name} is not embedded"
        assert "CJK" in name or "Noto" in name, name
    for number, text in enumerate(texts, start=1):
        match = PAGE_NUMBER.search(text)
        assert match, f"page {number} has no page number: {text[-80:]}"
        assert (int(match[1]), int(match[2])) == (number, len(texts))
    assert notdef_glyphs(data) == 0
    return texts


def test_station_report_prints_the_seeded_year(street):
    data = render(documents.station_document(street.area, street.year))
    texts = assert_well_formed(data)
    body = "".join(texts)
    year = street.year
    # The sentence carrying the five figures, exactly as seeded.
    expected = (
        f"{year}年，东湖片区实践站共开展接待{seed.STATION_VISITS}次，接待群众{seed.STATION_PERSON_TIMES}人次，"
        f"收集社情民意{seed.STATION_OPINIONS}条，其中现场答复{seed.STATION_ANSWERED}条，"
        f"形成意见建议{seed.STATION_ESCALATED}条；推动解决{seed.STATION_RESOLVED}条"
    )
    assert expected in body
    assert "328" in texts[1] and "96" in texts[1]
    # The cover, the title in the running header and the signature area.
    assert "人大代表联络站年度工作报告" in texts[0]
    assert f"东湖片区实践站{year}年度工作报告" in texts[1]
    assert "联络站负责人" in body and "（盖章）" in body
    # The per-station table adds up to the subtree: the area desk and its community point.
    assert "桂园社区实践点" in body
    # The suggestions formed from the station's opinions: the two submitted, not the drafts.
    escalated = Suggestion.objects.filter(source_opinions__station__in=[street.area, street.point]).distinct()
    submitted = [s.title for s in escalated if s.submitted_at]
    assert len(submitted) == seed.ESCALATED_SUBMITTED and escalated.count() == seed.STATION_ESCALATED
    for title in submitted:
        assert flat(title) in body


def test_deputy_report_prints_the_deputys_suggestions_and_duties(street):
    data = render(documents.deputy_document(street.main, street.year))
    texts = assert_well_formed(data)
    body = "".join(texts)
    assert "张建国代表" in body and "人大代表履职报告" in texts[0]
    assert (
        f"领衔提出建议{seed.MAIN_LED}件，已办结{seed.MAIN_CLOSED}件（其中满意{seed.MAIN_SATISFIED}件、基本满意0件），"
        "附议建议1件" in body
    )
    assert f"接待群众{seed.STATION_PERSON_TIMES}人次，收集社情民意{seed.STATION_OPINIONS}条" in body
    for title in ("关于加快桂园小区加装电梯的建议", "关于缓解学校门口交通拥堵的建议", "关于完善社区垃圾分类设施的建议"):
        assert title in body
    assert "代表本人签字" in body
    # Voter contacts (联系选民): the sentence, the table and its total, and the points row.
    assert (
        f"全年联系选民{seed.MAIN_CONTACTS}次（要求不少于10次），联系群众{seed.MAIN_CONTACT_PEOPLE}人次，"
        f"固定联系群众{seed.MAIN_LINKS}人" in body
    )
    assert f"合计：联系{seed.MAIN_CONTACTS}次（每年要求不少于10次）{seed.MAIN_CONTACT_PEOPLE}" in body
    assert "回访小区加装电梯协调难" in body and "去年的回访" not in body
    assert "13912345678" not in body  # linked constituents' phones never reach the report


def test_street_report_covers_every_station(street):
    data = render(documents.street_document(street.year))
    texts = assert_well_formed(data)
    body = "".join(texts)
    # The street adds the other area station's visit (5 people) and two opinions.
    assert f"接待群众{seed.STATION_PERSON_TIMES + 5}人次" in body
    assert f"收集社情民意{seed.STATION_OPINIONS + 2}条" in body
    for name in ("东湖片区实践站", "西城片区实践站", "桂园社区实践点"):
        assert name in body
    # Street-wide totals are the street's, not the hub's (the hub is one station among them).
    stations = Station.objects.count()
    assert f"{street.year}年，幸福街道{stations}个联络站共开展接待" in body
    assert "代表之家共开展接待" not in body
    assert "区住房和城乡建设局" in body  # the suggestions by lead unit
    # 双联: only the main deputy contacted voters, eleven times (at least ten expected).
    deputies = Deputy.objects.count()
    assert f"全年联系选民不少于10次的代表1名（共{deputies}名），合计联系选民{seed.MAIN_CONTACTS}次" in body


def test_a_character_no_font_has_is_marked_not_left_as_an_empty_box():
    # U+9FFF is in the CJK block but in no installed font (a rare name character would be like it).
    result = html_to_pdf("<html><body><p>群众反映：鿿问题</p></body></html>")
    assert result.missing_characters == {"\u9fff"}
    assert notdef_glyphs(result.data) == 0
    assert "群众反映：〓问题" in flat(page_texts(result.data)[0])


def test_the_checker_does_find_an_empty_box():
    """The glyph check above can fail: WeasyPrint left alone draws U+9FFF as .notdef."""
    from weasyprint import HTML

    data = HTML(string="<p style='font-family: \"Noto Serif CJK SC\"'>接待鿿</p>").write_pdf()
    assert notdef_glyphs(data) == 1


@pytest.mark.parametrize("kind", ["station", "street"])
def test_reports_of_an_empty_year_still_print(org, kind):
    document = (
        documents.station_document(org.area, org.year) if kind == "station" else documents.street_document(org.year)
    )
    texts = assert_well_formed(render(document))
    assert "接待群众0人次" in "".join(texts)
    # The rounding rule is stated in a footnote, as on the dashboard.
    assert "一律四舍五入：接口以小数给出，保留四位小数（如0.8571）" in "".join(texts)


@pytest.mark.django_db
def test_the_street_is_named_after_the_hub_without_its_suffix_or_generically():
    from tests.builders import organisation as o

    with translation.override("zh-hans"):
        assert documents.street_name() == "本街道"  # no hub yet
        hub = o.hub("白沙街道代表之家")
        assert documents.street_name() == "白沙街道"
        Station.objects.filter(id=hub.id).update(name="代表之家")
        assert documents.street_name() == "本街道"
