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


def page_counter_css(phrase: str | None = None, **values: str) -> str:
    """The CSS ``content`` value of a page footer, built from a translated phrase.

    By default "第 N 页 共 M 页" (``%(page)s`` and ``%(pages)s``, the document's own counters).
    ``values`` maps any other placeholder of ``phrase`` to a CSS expression, e.g.
    ``report_page="counter(report-page)"``.
    """
    expressions = {"page": "counter(page)", "pages": "counter(pages)", **values}
    phrase = _("Page %(page)s of %(pages)s") if phrase is None else phrase
    css = []
    rest = phrase
    while rest:
        positions = [(rest.find(f"%({k})s"), k) for k in expressions if rest.find(f"%({k})s") >= 0]
        if not positions:
            css.append(_css_string(rest))
            break
        index, key = min(positions)
        if index:
            css.append(_css_string(rest[:index]))
        css.append(expressions[key])
        rest = rest[index + len(f"%({key})s") :]
    return " ".join(css)


def volume_page_css() -> str:
    """The footer of a batch's front matter: the page of the volume ("第 N 页")."""
    return page_counter_css(_("Page %(page)s"))


def volume_section_page_css() -> str:
    """The footer of a report inside a batch: the page of the volume, then the page of this report.

    The volume's number is the ``page`` counter, reset on the report's first page to where the report
    starts in the volume (``first_page`` in the template); ``report-page`` counts the report's own pages.
    """
    return page_counter_css(
        _("Page %(page)s · page %(report_page)s of %(report_pages)s of this report"),
        report_page="counter(report-page)",
        report_pages="counter(pages)",
    )


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


# Wider than any real page number: the contents laid out with these take at least as many pages as
# with the real numbers, so the reports can be numbered before the contents are final.
_PLACEHOLDER_PAGE = 99999


def front_matter_pages(titles: Sequence[str], *, front_matter: Callable[[list[dict]], str]) -> int:
    """How many pages the cover and contents of a batch of reports titled ``titles`` take.

    Laid out with placeholder page numbers wider than any real one, so the final contents never
    take more pages (``merge_bundle`` pads with blank pages when they take fewer). Known before the
    reports are laid out, it tells each report the volume page it starts on.
    """
    rows = [
        {
            "title": t,
            "subtitle": "",
            "pages": _PLACEHOLDER_PAGE,
            "first_page": _PLACEHOLDER_PAGE,
            "last_page": _PLACEHOLDER_PAGE,
        }
        for t in titles
    ]
    return html_to_pdf(front_matter(rows)).pages


def merge_bundle(
    entries: Sequence[BundleEntry],
    files: Sequence[Path],
    *,
    front_matter: Callable[[list[dict]], str],
    front_pages: int,
    target: str | Path,
    title: str,
) -> int:
    """Write the front matter (cover + contents) followed by ``files`` into ``target``.

    ``files`` hold the reports of ``entries`` in order (several reports per file), already numbered
    as pages of the volume from ``front_pages + 1`` on (see ``front_matter_pages``).
    ``front_matter(rows)`` returns the HTML of the cover and contents; each row has ``title``,
    ``subtitle``, ``pages``, ``first_page`` and ``last_page`` in the bundle, so the contents, the
    cover's page count and the footers agree. Each report becomes a bookmark in the PDF outline.
    Returns the bundle's page count.
    """
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
    if front.pages > front_pages:
        raise RuntimeError(f"the contents took {front.pages} pages, {front_pages} were reserved")
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(front.data)), import_outline=False)
    for _blank in range(front_pages - front.pages):  # keep the numbering the reports were printed with
        writer.add_blank_page()
    for path in files:
        writer.append(str(path), import_outline=False)
    writer.add_outline_item(title=_("Contents"), page_number=1)
    for row in rows:
        writer.add_outline_item(title=row["title"], page_number=row["first_page"] - 1)
    writer.add_metadata({"/Title": title, "/Creator": "liaison-station reports"})
    with open(target, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)
