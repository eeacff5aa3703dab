"""Working through one report job: build the document(s), render, store, report progress.

Called by the Celery task after it claimed the job (pending → running). Progress
rises in steps that match the slow parts: collecting the figures, laying out the
pages, writing the PDF; a batch rises once per deputy. Whatever goes wrong ends the
job as ``failed`` with a reason a leader can read (see ``failure_reason``).
"""

import logging
import shutil
import tempfile
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.replica import replica_reads
from organisation.models import Station
from reports import documents, services
from reports.figures import deputies_of
from reports.metrics import peer_ranking
from reports.models import ReportJob, ReportKind
from reports.pdf.fonts import INSTALL_HINT, FontsUnavailable, pdf_font_families
from reports.pdf.render import (
    PDF_LANGUAGE,
    BundleEntry,
    front_matter_pages,
    html_to_pdf,
    layout,
    merge_bundle,
    release_layouts,
    volume_page_css,
    volume_section_page_css,
    write_documents,
)

logger = logging.getLogger(__name__)


def failure_reason(exc: BaseException, *, soft_time_limit: float | None = None) -> str:
    """A sentence for the status page (in Chinese, like the reports).

    ``soft_time_limit`` is the limit the task ran under (it travels in the message, set by the
    process that queued it); the worker's own setting is the fallback.
    """
    with translation.override(PDF_LANGUAGE):
        if isinstance(exc, SoftTimeLimitExceeded):
            seconds = soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
            return _(
                "The report took longer than %(seconds)s seconds and was stopped. "
                "Print a smaller batch (one station at a time) or ask the administrator to raise the time limit."
            ) % {"seconds": f"{seconds:g}"}
        if isinstance(exc, FontsUnavailable):
            return _("No Chinese font is installed on the server, so the PDF cannot be printed. %(hint)s") % {
                "hint": INSTALL_HINT
            }
        if isinstance(exc, documents.SubjectMissing):
            return str(exc)
        return _("The report could not be generated (%(error)s). Please try again or tell the administrator.") % {
            "error": f"{type(exc).__name__}: {exc}"[:300]
        }


def job_workdir(job_id: int) -> Path:
    """The job's scratch folder: one name per job, so a run resuming after its killed predecessor
    removes what that one left behind."""
    return Path(tempfile.gettempdir()) / f"liaison-report-{job_id}"


def run_job(job: ReportJob) -> None:
    """Render ``job`` (already claimed as running) and attach the file; raises on failure."""
    pdf_font_families()  # fail early, with the install hint, when no CJK font is installed
    workdir = job_workdir(job.id)
    shutil.rmtree(workdir, ignore_errors=True)  # a killed earlier run's parts
    workdir.mkdir(parents=True)
    try:
        # The figures are read from the replica when one is configured (core/replica.py); the job's
        # own row and every write stay on the primary.
        with replica_reads():
            if job.kind == ReportKind.BATCH:
                path, pages, filename = _run_batch(job, workdir)
            else:
                path, pages, filename = _run_single(job, workdir)
        services.job_finish(job_id=job.id, path=path, filename=filename, pages=pages)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _note(message: str, **values) -> str:
    """A progress note (``message`` marked with ``gettext_noop``) in the site's language: it is stored
    and read by whoever opens the job page, like a failure's reason."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(message)
    return text % values if values else text


def _run_single(job: ReportJob, workdir: Path) -> tuple[Path, int, str]:
    services.job_progress(job_id=job.id, progress=2, note=_note(gettext_noop("Collecting the figures")))
    document = documents.build(job.kind, job.subject_id, job.year)
    services.job_progress(job_id=job.id, progress=15, note=_note(gettext_noop("Drawing the charts and tables")))
    html = document.html()
    services.job_progress(job_id=job.id, progress=30, note=_note(gettext_noop("Laying out the pages")))
    target = workdir / document.filename
    result = html_to_pdf(
        html,
        target=target,
        on_layout=lambda pages: services.job_progress(
            job_id=job.id, progress=85, note=_note(gettext_noop("Writing the PDF (%(pages)s pages)"), pages=pages)
        ),
    )
    return target, result.pages, document.filename


# Reports laid out together and written as one file: bigger chunks make a smaller bundle (fonts are
# embedded once per chunk) but hold more pages in memory (~20 MB per report while its chunk is open).
BATCH_CHUNK = 10


def _run_batch(job: ReportJob, workdir: Path) -> tuple[Path, int, str]:
    station = None
    if job.subject_id is not None:
        station = Station.objects.filter(id=job.subject_id).first()
        if station is None:
            with translation.override(PDF_LANGUAGE):
                raise documents.SubjectMissing(_("The station #%(id)s no longer exists.") % {"id": job.subject_id})
    deputies = list(deputies_of(station))
    if not deputies:
        with translation.override(PDF_LANGUAGE):
            raise documents.SubjectMissing(_("There are no active deputies to print."))
    services.job_progress(job_id=job.id, progress=3)
    # Each report prints the deputy's rank among their kind: rank everyone once, not once per report.
    rankings = {kind: peer_ranking(kind, job.year) for kind in {d.kind for d in deputies}}
    # Pages are numbered through the whole volume: the cover and contents come first, so their length
    # is settled before the first report is laid out.
    front_pages = front_matter_pages([d.name for d in deputies], front_matter=lambda rows: _front_matter(job, rows))
    with translation.override(PDF_LANGUAGE):
        section_footer = volume_section_page_css()
    entries, files, chunk = [], [], []
    next_page = front_pages + 1
    for index, deputy in enumerate(deputies, start=1):
        document = documents.deputy_document(deputy, job.year, peers=rankings[deputy.kind])
        document.context.update(first_page=next_page, page_counter=section_footer)
        laid_out, _missing = layout(document.html())
        chunk.append(laid_out)
        entries.append(BundleEntry(title=deputy.name, subtitle=document.title, pages=len(laid_out.pages)))
        next_page += len(laid_out.pages)
        if len(chunk) == BATCH_CHUNK or index == len(deputies):
            files.append(workdir / f"part-{len(files) + 1:03d}.pdf")
            write_documents(chunk, files[-1])
            chunk = []
            release_layouts()
        # Deputies take 3–95 %, the contents and the merge the rest.
        services.job_progress(
            job_id=job.id,
            progress=3 + 92 * index // len(deputies),
            note=_note(
                gettext_noop("Report %(index)s of %(count)s printed: %(name)s"),
                index=index,
                count=len(deputies),
                name=deputy.name,
            ),
        )
    services.job_progress(job_id=job.id, progress=96, note=_note(gettext_noop("Binding the volume with its contents")))
    filename = f"batch-{job.subject_id or 'street'}-{job.year}.pdf"
    target = workdir / filename
    pages = merge_bundle(
        entries,
        files,
        front_matter=lambda rows: _front_matter(job, rows),
        front_pages=front_pages,
        target=target,
        title=job.title,
    )
    return target, pages, filename


def _front_matter(job: ReportJob, entries: list[dict]) -> str:
    """The cover and contents of a batch; the cover's page count is the volume's (its last page)."""
    with translation.override(PDF_LANGUAGE):
        context = {
            "fonts": pdf_font_families(),
            "page_counter": volume_page_css(),
            "document_title": job.title,
            "issuer": documents.issuer(),
            "generated_at": timezone.localtime(),
            "entries": entries,
            "year": job.year,
            "total_pages": entries[-1]["last_page"] if entries else None,
        }
        return render_to_string("pdf/batch_front.html", context)
