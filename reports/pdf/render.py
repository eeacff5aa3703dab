"""HTML → PDF with WeasyPrint, and merging several reports into one bundle with a table of contents.

Every report is an HTML template under ``templates/pdf/`` rendered in Chinese,
laid out on A4 by WeasyPrint with the fonts from ``reports.pdf.fonts``. Nothing is
fetched from the network: the URL fetcher refuses anything but inline data.
"""

import gc
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
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from reports.pdf.fonts import pdf_font_families, replace_uncovered

logger = logging.getLogger(__name__)

PDF_LANGUAGE = "zh-hans"


def local_only_url_fetcher() -> URLFetcher:
    """Reports are self-contained: inline ``data:`` URLs only, never the network or the disk."""
    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)


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


def layout(html: str):
    """Lay out ``html`` (the slow half of rendering); returns the WeasyPrint document and the characters replaced.

    Characters no installed font can draw are replaced by 〓 first (see ``replace_uncovered``).
    """
    html, missing = replace_uncovered(html)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_only_url_fetcher()).render()
    return document, missing


def html_to_pdf(
    html: str,
    *,
    target: str | Path | None = None,
    on_layout: Callable[[int], None] | None = None,
) -> RenderedPdf:
    """Lay out ``html`` and write the PDF to ``target`` (or return the bytes in ``data``).

    ``on_layout(pages)`` is called between layout and writing, the two slow steps,
    so that a job can report progress.
    """
    try:
        document, missing = layout(html)
        pages = len(document.pages)
        if on_layout is not None:
            on_layout(pages)
        data = document.write_pdf(str(target) if target is not None else None)
        del document
        return RenderedPdf(pages=pages, missing_characters=missing, data=data)
    finally:
        release_layouts()


def release_layouts() -> None:
    """Free laid-out documents no longer referenced, now rather than at some later collection.

    A WeasyPrint layout is a large graph of reference cycles (boxes pointing to their parents
    and styles), which only Python's cyclic collector frees, and it runs its full collection
    rarely: without this, a worker rendering report after report grew by ~150 MB over its first
    ten reports (bench/RESULTS.md).

    A full collection scans every object of the process (~0.15 s with Django, WeasyPrint and the
    fonts loaded). What survives the first one (modules, templates, font caches) lives as long as
    the process, so it is frozen out of later collections, which then cost ~0.04 s.
    """
    global _frozen
    gc.collect()
    if not _frozen:
        gc.freeze()
        _frozen = True


_frozen = False


def write_documents(documents: Sequence, target: str | Path) -> int:
    """Write several laid-out documents as one PDF; returns its page count.

    Each document keeps its own page numbers (laid out already), while the fonts are
    embedded once for all of them: a CJK font subset weighs ~150 KB, so ten reports
    written together are several times smaller than ten files merged afterwards.
    """
    pages = [page for document in documents for page in document.pages]
    documents[0].copy(pages).write_pdf(str(target))
    return len(pages)


@dataclass(frozen=True)
class BundleEntry:
    """One report inside a batch bundle, as the contents list it."""

    title: str
    subtitle: str
    pages: int


def merge_bundle(
    entries: Sequence[BundleEntry],
    files: Sequence[Path],
    *,
    front_matter: Callable[[list[dict]], str],
    target: str | Path,
    title: str,
) -> int:
    """Write the front matter (cover + contents) followed by ``files`` into ``target``.

    ``files`` hold the reports of ``entries`` in order (several reports per file).
    ``front_matter(rows)`` returns the HTML of the cover and contents; each row has
    ``title``, ``subtitle``, ``pages``, ``first_page`` and ``last_page`` in the bundle.
    The contents' own length decides where the reports start, so it is laid out until
    the page numbers it prints are stable (twice in practice). Each report becomes a
    bookmark in the PDF outline. Returns the bundle's page count.
    """
    front_pages = 2  # the cover and at least one page of contents
    for _attempt in range(5):
        rows, start = [], front_pages + 1
        for entry in entries:
            rows.append(
                {
                    "title": entry.title,
                    "subtitle": entry.subtitle,
                    "pages": entry.pages,
                    "first_page": start,
                    "last_page": start + entry.pages - 1,
                }
            )
            start += entry.pages
        front = html_to_pdf(front_matter(rows))
        if front.pages == front_pages:
            break
        front_pages = front.pages
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(front.data)), import_outline=False)
    for path in files:
        writer.append(str(path), import_outline=False)
    writer.add_outline_item(title=_("Contents"), page_number=1)
    for row in rows:
        writer.add_outline_item(title=row["title"], page_number=row["first_page"] - 1)
    writer.add_metadata({"/Title": title, "/Creator": "liaison-station reports"})
    with open(target, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)
