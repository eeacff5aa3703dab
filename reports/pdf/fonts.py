"""Finding the Simplified Chinese fonts that the PDFs embed, through fontconfig.

WeasyPrint asks fontconfig (via Pango) for fonts by family name, so the reports
name families, never files or URLs. This module answers two questions: which
installed families to name (``pdf_font_families``) and whether every character
of a document can be drawn (``replace_uncovered``) — a character that no
installed font has would otherwise print as an empty box (tofu).
"""

import functools
import logging
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

INSTALL_HINT = "Install a Simplified Chinese font, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu), then restart."

# Body text is set in a serif (宋体-like) face and headings in a sans (黑体-like) face, as in
# official documents. The first installed family of each list wins.
DEFAULT_SERIF_FAMILIES = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "SimSun", "AR PL UMing CN")
DEFAULT_SANS_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
)

# 〓 (U+3013, 缺字符号) is the mark Chinese typesetting uses for a character the font lacks.
MISSING_CHARACTER_MARK = "\u3013"


@dataclass(frozen=True)
class InstalledFont:
    family: str
    style: str
    file: str
    index: int


class FontsUnavailable(RuntimeError):
    """No Simplified Chinese font is installed; the message says how to install one."""


def _fc_list(pattern: str) -> list[str]:
    executable = shutil.which("fc-list")
    if executable is None:
        return []
    try:
        result = subprocess.run(
            [executable, "--format", "%{family}|%{style}|%{file}|%{index}\n", pattern],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [line for line in result.stdout.splitlines() if line.strip()]


@functools.cache
def installed_cjk_fonts() -> tuple[InstalledFont, ...]:
    """Every installed font that fontconfig says covers Chinese (cached for the process)."""
    fonts = []
    for line in _fc_list(":lang=zh-cn"):
        family, style, path, index = (line.split("|") + ["", "", "", "0"])[:4]
        for name in family.split(","):
            fonts.append(InstalledFont(name.strip(), style, path, int(index or 0)))
    return tuple(fonts)


def _first_installed(preferences, fonts) -> InstalledFont | None:
    by_family = {}
    for font in fonts:
        by_family.setdefault(font.family, font)
    for family in preferences:
        if family in by_family:
            return by_family[family]
    return None


@dataclass(frozen=True)
class FontChoice:
    serif: InstalledFont
    sans: InstalledFont

    @property
    def css_serif(self) -> str:
        return f'"{self.serif.family}", "{self.sans.family}", serif'

    @property
    def css_sans(self) -> str:
        return f'"{self.sans.family}", "{self.serif.family}", sans-serif'


@functools.cache
def pdf_font_families() -> FontChoice:
    """The serif and sans families the PDFs use; raises ``FontsUnavailable`` when there is none."""
    fonts = installed_cjk_fonts()
    if not fonts:
        raise FontsUnavailable(f"No Simplified Chinese (zh-cn) font is installed. {INSTALL_HINT}")
    serif_pref = getattr(settings, "REPORTS_SERIF_FAMILIES", DEFAULT_SERIF_FAMILIES)
    sans_pref = getattr(settings, "REPORTS_SANS_FAMILIES", DEFAULT_SANS_FAMILIES)
    # Whatever zh-cn font is installed beats none: fall back to it for either role.
    serif = _first_installed(serif_pref, fonts) or _first_installed(sans_pref, fonts) or fonts[0]
    sans = _first_installed(sans_pref, fonts) or serif
    return FontChoice(serif=serif, sans=sans)


@functools.cache
def _font_cmap(path: str, family: str) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        collection = TTCollection(path, lazy=True)
        faces = list(collection.fonts)
    else:
        faces = [TTFont(path, lazy=True)]
    face = next((f for f in faces if f["name"].getDebugName(1) == family), faces[0])
    return frozenset(face.getBestCmap())


@functools.cache
def _fallback_covers(codepoint: int) -> bool:
    """Whether any installed font can draw ``codepoint`` (Pango falls back to it)."""
    return bool(_fc_list(f":charset={codepoint:x}"))


def uncovered_characters(text: str) -> set[str]:
    """Characters of ``text`` that no installed font can draw."""
    choice = pdf_font_families()
    covered = _font_cmap(choice.serif.file, choice.serif.family) | _font_cmap(choice.sans.file, choice.sans.family)
    missing = set()
    for char in set(text):
        codepoint = ord(char)
        # Control and format characters (newlines, zero-width joiners) are never drawn.
        if codepoint in covered or unicodedata.category(char) in {"Cc", "Cf"}:
            continue
        if not _fallback_covers(codepoint):
            missing.add(char)
    return missing


def replace_uncovered(text: str) -> tuple[str, set[str]]:
    """``text`` with every undrawable character replaced by 〓, and the set of those characters.

    A rare character in a constituent's name or an emoji in an opinion must not
    turn into an invisible box: the mark shows the reader that something is missing.
    """
    missing = uncovered_characters(text)
    if not missing:
        return text, missing
    codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(missing))
    logger.warning("Characters without a glyph in any installed font: %s", codes)
    return text.translate({ord(char): MISSING_CHARACTER_MARK for char in missing}), missing
