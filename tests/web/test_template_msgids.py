"""Every string a template translates has a Chinese translation: a msgid missing from the zh_Hans catalogs
(or present with an empty or fuzzy msgstr, which gettext skips) would show English on a Chinese page."""

import re
from pathlib import Path

import pytest
from django.utils import translation

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path
    for path in REPO.glob("**/templates/**/*.html")
    if not {".venv", "node_modules", "staticfiles"} & set(path.relative_to(REPO).parts)
)
# {% translate "…" %} / {% trans '…' %} (with or without "as name", without context), and _("…") in tag arguments.
TRANSLATE_TAG = re.compile(
    r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1(?:\s+context\s+(["'])(.+?)\3)?(?:\s+as\s+\w+)?\s*%}"""
)
UNDERSCORE = re.compile(r"""_\((["'])(.+?)\1\)""")
# Strings that read the same in Chinese.
SAME_IN_CHINESE = {"API", "CSV", "PDF", "Excel", "Swagger UI", "ReDoc", "OpenAPI"}


COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.DOTALL)


def template_messages(path: Path) -> set[tuple[str, str]]:
    """(context, msgid) of every string the template translates; the context is "" when there is none."""
    text = COMMENT.sub("", path.read_text(encoding="utf-8"))
    tags = {(m.group(4) or "", m.group(2)) for m in TRANSLATE_TAG.finditer(text)}
    return tags | {("", m.group(2)) for m in UNDERSCORE.finditer(text)}


def template_msgids(path: Path) -> set[str]:
    return {msgid for _context, msgid in template_messages(path)}


def test_the_scan_finds_translated_strings():
    assert len(TEMPLATES) > 50
    assert "Search" in template_msgids(REPO / "templates/partials/filter_form.html")
    assert ("site search", "Search") in template_messages(REPO / "templates/base.html")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_template_string_is_translated_into_chinese(path):
    untranslated = []
    with translation.override("zh-hans"):
        for context, msgid in sorted(template_messages(path)):
            if msgid in SAME_IN_CHINESE or "{{" in msgid or "{%" in msgid:
                continue
            # As the template tag does: a literal % is looked up as %%.
            wanted = msgid.replace("%", "%%")
            found = translation.pgettext(context, wanted) if context else translation.gettext(wanted)
            if found == wanted:
                untranslated.append(f"{msgid} ({context})" if context else msgid)
    assert not untranslated, f"{path.relative_to(REPO)}: no zh_Hans translation for {untranslated}"
