"""Ledger import pages: the import log with the upload form and the templates, a batch's check (preview)
with its problems, confirming the import and undoing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exports import XLSX
from core.pages import run_service
from imports import selectors, services
from imports.forms import UploadForm

PAGE_SIZE = 50
ERRORS_SHOWN = 500


def _require_viewer(user):
    if not (services.may_import(user) or user.sees_everything):
        raise PermissionDenied


@login_required
def batch_list(request):
    user = request.user
    _require_viewer(user)
    form = UploadForm(user=user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            outcome = run_service(
                request,
                form,
                lambda: services.batch_upload(
                    actor=user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
                ),
                raise_forbidden=True,
            )
            if outcome.ok:
                return redirect("imports:detail", outcome.result.pk)
    page = Paginator(selectors.batches_visible_to(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/list.html",
        {
            "form": form if services.may_import(user) else None,
            "page_obj": page,
            "kinds": services.kind_choices(user),
        },
        status=400 if form.errors else 200,
    )


@login_required
def template_download(request, kind: str):
    if kind not in services.KINDS:
        raise PermissionDenied
    if not services.may_import_kind(request.user, kind):
        raise PermissionDenied
    data = services.ledger_template(kind=kind, actor=request.user)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ledger-template-{kind}.xlsx"'
    return response


@login_required
def batch_detail(request, pk: int):
    user = request.user
    _require_viewer(user)
    batch = get_object_or_404(selectors.batches_visible_to(user), pk=pk)
    records = selectors.records_of(batch)[:PAGE_SIZE] if batch.status in ("imported", "undone") else []
    return render(
        request,
        "imports/detail.html",
        {
            "batch": batch,
            "progress": selectors.batch_progress(batch),
            "problems": batch.errors[:ERRORS_SHOWN],
            "records": records,
            "may_act": services.may_import(user),
        },
    )


@login_required
@require_POST
def batch_confirm(request, pk: int):
    batch = get_object_or_404(selectors.batches_visible_to(request.user), pk=pk)
    outcome = run_service(
        request, None, lambda: services.batch_confirm(batch=batch, actor=request.user), refusals="messages"
    )
    if outcome.ok:
        batch.refresh_from_db()
        if batch.status == "imported":
            messages.success(request, _("The ledger was imported."))
        else:
            messages.success(request, _("The import has started; this page shows its progress."))
    return redirect("imports:detail", batch.pk)


@login_required
@require_POST
def batch_undo(request, pk: int):
    batch = get_object_or_404(selectors.batches_visible_to(request.user), pk=pk)
    outcome = run_service(
        request, None, lambda: services.batch_undo(batch=batch, actor=request.user), refusals="messages"
    )
    if outcome.ok:
        messages.success(request, _("The import was undone: its records were removed or restored."))
    return redirect("imports:detail", batch.pk)
