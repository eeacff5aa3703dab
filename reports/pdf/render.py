"""HTML → PDF with WeasyPrint, and merging several reports into one bundle with a table of contents.

Every report is an HTML template under ``templates/pdf/`` rendered in Chinese,
laid out on A4 by WeasyPrint with the fonts from ``reports.pdf.fonts``. Nothing is
fetched from the network: the URL fetcher refuses anything but inline data.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML, default_url_fetcher

from reports.pdf.fonts import pdf_font_families, replace_uncovered

logger = logging.getLogger(__name__)

PDF_LANGUAGE = "zh-hans"


class ExternalResourceRefused(ValueError):
    pass


def local_only_url_fetcher(url: str, *args, **kwargs):
    """Reports are self-contained: inline ``data:`` URLs only, never the network or the disk."""
    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ExternalResourceRefused(f"Reports may not load external resources: {url[:80]}")


def page_counter_css() -> str:
    """The CSS ``content`` value for "第 N 页 共 M 页", built from the translated phrase."""
    phrase = _("Page %(page)s of %(pages)s")
    css = []
    rest = phrase
    while rest:
        positions = [(rest.find(k), k) for k in ("%(page)s", "%(pages)s") if rest.find(k) >= 0]
        if not positions:
            css.append(_css_string(rest))
            break
        index, key = min(positions)
        if index:
            css.append(_css_string(rest[:index]))
        css.append("counter(page)" if key == "%(page)s" else "counter(pages)")
        rest = rest[index + len(key) :]
    return " ".join(css)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_report_html(template_name: str, context: dict) -> str:
    """The report's HTML, always in Chinese, with the installed CJK font families available as ``fonts``."""
    with translation.override(PDF_LANGUAGE):
        return render_to_string(
            template_name,
            {"fonts": pdf_font_families(), "page_counter": page_counter_css(), **context},
        )


@dataclass
class RenderedPdf:
    pages: int
    missing_characters: set[str] = field(default_factory=set)
    data: bytes | None = None


def html_to_pdf(
    html: str,
    *,
    target: str | Path | None = None,
    on_layout: Callable[[int], None] | None = None,
) -> RenderedPdf:
    """Lay out ``html`` and write the PDF to ``target`` (or return the bytes in ``data``).

    ``on_layout(pages)`` is called between layout and writing, the two slow steps,
    so that a job can report progress. Characters no installed font can draw are
    replaced by 〓 first (see ``replace_uncovered``).
    """
    html, missing = replace_uncovered(html)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_only_url_fetcher).render()
    pages = len(document.pages)
    if on_layout is not None:
        on_layout(pages)
    data = document.write_pdf(str(target) if target is not None else None)
    return RenderedPdf(pages=pages, missing_characters=missing, data=data)


@dataclass(frozen=True)
class BundlePart:
    """One report inside a batch bundle: its title for the contents and its rendered file."""

    title: str
    subtitle: str
    path: Path
    pages: int


def merge_bundle(
    parts: Sequence[BundlePart],
    *,
    front_matter: Callable[[list[dict]], str],
    target: str | Path,
    title: str,
) -> int:
    """Write the front matter (cover + contents) followed by every part into ``target``.

    ``front_matter(entries)`` returns the HTML of the cover and contents; each entry
    has ``title``, ``subtitle``, ``pages``, ``first_page`` and ``last_page`` in the
    bundle. The contents' own length decides where the parts start, so it is laid out
    until the page numbers it prints are stable (twice at most in practice). Each part
    becomes a bookmark in the PDF outline. Returns the bundle's page count.
    """
    front_pages = 1
    for _attempt in range(4):
        entries = []
        start = front_pages + 1
        for part in parts:
            entries.append(
                {
                    "title": part.title,
                    "subtitle": part.subtitle,
                    "pages": part.pages,
                    "first_page": start,
                    "last_page": start + part.pages - 1,
                }
            )
            start += part.pages
        front = html_to_pdf(front_matter(entries))
        if front.pages == front_pages:
            break
        front_pages = front.pages
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(front.data)))
    for part, entry in zip(parts, entries, strict=True):
        writer.append(str(part.path), outline_item=None)
        writer.add_outline_item(f"{part.title} {part.subtitle}".strip(), entry["first_page"] - 1)
    writer.add_metadata({"/Title": title, "/Creator": "liaison-station reports"})
    writer.compress_identical_objects(remove_identicals=True, remove_orphans=True)
    with open(target, "wb") as handle:
        writer.write(handle)
    return start - 1
