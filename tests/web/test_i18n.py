"""Translation catalogs are complete and compiled; pages are Chinese by default and English on request."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    path
    for path in REPO.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
    if not {".venv", "node_modules", "staticfiles"} & set(path.relative_to(REPO).parts)
)
# Named printf placeholders (any flags, width or conversion) and str.format fields; compared by name.
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifgeExXr]|\{(\w+)\}")


def test_the_project_catalog_is_found():
    assert REPO / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGS


def translations(entries) -> dict:
    """(context, msgid) → the translation(s), for entries that have one."""
    found = {}
    for entry in entries:
        if not entry.msgid:
            continue
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            found[(entry.msgctxt, entry.msgid)] = tuple(forms[index] for index in sorted(forms))
        else:
            found[(entry.msgctxt, entry.msgid)] = entry.msgstr
    return found


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda path: str(path.relative_to(REPO)))
def test_catalog_has_no_empty_or_fuzzy_translation(po_path):
    catalog = polib.pofile(str(po_path))
    fuzzy = [entry.msgid for entry in catalog if "fuzzy" in entry.flags and entry.msgid]
    empty = [
        entry.msgid
        for entry in catalog
        if not entry.obsolete
        and (
            (entry.msgid_plural and not all(entry.msgstr_plural.values()))
            or (not entry.msgid_plural and not entry.msgstr)
        )
    ]
    assert not fuzzy, f"fuzzy entries in {po_path}: {fuzzy}"
    assert not empty, f"untranslated entries in {po_path}: {empty}"


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda path: str(path.relative_to(REPO)))
def test_translations_keep_their_placeholders(po_path):
    wrong = []
    for entry in polib.pofile(str(po_path)):
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            if text and set(PLACEHOLDER.findall(text)) != wanted:  # empty ones fail the test above
                wrong.append(entry.msgid)
    assert not wrong, f"placeholders differ in {po_path}: {wrong}"


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda path: str(path.relative_to(REPO)))
def test_compiled_catalog_is_up_to_date(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run msgfmt -o {mo_path.name} {po_path.name}"
    source = translations(entry for entry in polib.pofile(str(po_path)) if not entry.obsolete)
    compiled = translations(polib.mofile(str(mo_path)))
    assert compiled == source, f"{mo_path} is stale: run msgfmt -o {mo_path.name} {po_path.name}"
    # And Python's gettext, which Django uses, can read it.
    with mo_path.open("rb") as handle:
        gettext.GNUTranslations(handle)


def test_a_message_has_one_translation_across_the_catalogs():
    """Django merges every app's catalog into one (the first app listed wins): a msgid translated two ways
    shows one app's wording in another app's page (a report job 「待审批」). Where the meaning really
    differs, the msgid carries a context (``pgettext``, ``{% translate … context … %}``)."""
    seen: dict = {}
    for po_path in CATALOGS:
        for key, text in translations(e for e in polib.pofile(str(po_path)) if not e.obsolete).items():
            seen.setdefault(key, {}).setdefault(text, []).append(str(po_path.relative_to(REPO)).split("/")[0])
    differing = {key[1]: texts for key, texts in seen.items() if len(texts) > 1}
    assert not differing, f"{len(differing)} messages translated differently: {differing}"


def test_a_report_job_waiting_reads_as_waiting_not_as_awaiting_approval():
    from django.utils import translation

    from reports.models import JobStatus
    from suggestions.models import RequestStatus

    with translation.override("zh-hans"):
        assert str(JobStatus.PENDING.label) == "等待中"
        assert str(JobStatus.RUNNING.label) == "生成中"
        assert str(RequestStatus.PENDING.label) == "待审批"


# --- the language of the pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_chinese_even_for_an_english_browser(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page
    assert "<h1>登录</h1>" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "chinese", "english"),
    [
        ("home", ["主要数据", "各级人大代表", "退出"], ["Key figures", "Deputies by level", "Log out"]),
        ("deputies:deputy_list", ["姓名或工作单位", "全部层级", "查询"], ["Name or work unit", "All levels", "Search"]),
        ("liaison:station_list", ["站点名称", "开放时间", "全部类型"], ["Station name", "Opening hours", "All kinds"]),
    ],
)
def test_pages_are_chinese_by_default_and_english_when_switched(as_user, url_name, chinese, english):
    client = as_user("office")
    url = reverse(url_name)
    page = client.get(url).content.decode()
    assert all(text in page for text in chinese)
    assert not any(text in page for text in english)

    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert 'lang="en"' in page
    assert all(text in page for text in english)
    assert not any(text in page for text in chinese)

    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    assert all(text in client.get(url).content.decode() for text in chinese)


@pytest.mark.django_db
def test_detail_pages_and_choice_labels_are_translated(as_user, org):
    client = as_user("office")
    detail = reverse("liaison:station_detail", args=[org.area_a.pk])
    page = client.get(detail).content.decode()
    assert "片区实践站" in page and "网格长" in page
    client.post(reverse("set_language"), {"language": "en", "next": detail})
    page = client.get(detail).content.decode()
    assert "Area station" in page and "Grid leader" in page
    page = client.get(reverse("deputies:deputy_detail", args=[org.owner.pk])).content.decode()
    assert "County/district" in page and "Township/street" in page
