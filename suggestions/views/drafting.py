"""提: a deputy drafts and edits a suggestion; a constituent opinion becomes a draft."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ActionRefused, PermissionRefused
from core.pages import run_service
from core.roles import Role
from deputies.models import Deputy
from deputies.selectors import deputies_visible_to
from liaison.selectors import opinions_visible_to
from suggestions import forms, services
from suggestions.models import Action
from suggestions.views.common import page_tabs, precheck, require_role, visible_suggestion


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_create(request):
    require_role(request, Role.DEPUTY)
    form = forms.SuggestionForm(request.POST or None, request.FILES or None, lead_deputy_id=request.user.deputy_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: services.suggestion_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                category=form.cleaned_data["category"],
                cosigners=list(form.cleaned_data["cosigners"]),
                attachments=form.cleaned_data["attachments"],
            ),
        )
        if not outcome.ok:
            status = outcome.status
        else:
            suggestion = outcome.result
            messages.success(request, _("The draft is saved. Submit it when your co-signers have confirmed."))
            return redirect("suggestions:detail", pk=suggestion.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "suggestions/form.html",
        {"form": form, "heading": _("New suggestion"), "submit_label": _("Save draft"), "tabs": page_tabs(request)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_record_past(request):
    """补录: the office (and station staff for their stations' deputies) enter a suggestion submitted in the
    past, with its submission date; its later steps are then recorded from its page."""
    require_role(request, Role.OFFICE, Role.ADMIN, Role.STATION_STAFF)
    form = forms.PastSuggestionForm(
        request.POST or None, request.FILES or None, deputies=deputies_visible_to(request.user).filter(is_active=True)
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_service(
            request,
            form,
            lambda: services.suggestion_create(
                actor=request.user,
                lead_deputy=data["lead_deputy"],
                title=data["title"],
                content=data["content"],
                category=data["category"],
                cosigners=list(data["cosigners"]),
                attachments=data["attachments"],
                happened_on=data["happened_on"],
            ),
        )
        if not outcome.ok:
            status = outcome.status
        else:
            messages.success(request, _("The suggestion is recorded as submitted on that date."))
            return redirect("suggestions:detail", pk=outcome.result.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "suggestions/form.html",
        {
            "form": form,
            "heading": _("Record a past suggestion"),
            "submit_label": _("Record"),
            "tabs": page_tabs(request),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_edit(request, pk):
    suggestion = visible_suggestion(request, pk)
    refusal = precheck(request, suggestion, Action.UPDATE)
    if refusal:
        return refusal
    initial = {
        "title": suggestion.title,
        "content": suggestion.content,
        "category": suggestion.category,
        "cosigners": [c.deputy_id for c in suggestion.cosignatures.all()],
    }
    form = forms.SuggestionForm(
        request.POST or None, request.FILES or None, initial=initial, lead_deputy_id=suggestion.lead_deputy_id
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: services.suggestion_update(
                suggestion=suggestion,
                actor=request.user,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                category=form.cleaned_data["category"],
                cosigners=list(form.cleaned_data["cosigners"]),
                attachments=form.cleaned_data["attachments"],
            ),
        )
        if not outcome.ok:
            status = outcome.status
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("suggestions:detail", pk=suggestion.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "suggestions/form.html",
        {
            "form": form,
            "suggestion": suggestion,
            "heading": _("Edit suggestion"),
            "submit_label": _("Save"),
            "tabs": page_tabs(request),
        },
        status=status,
    )


# --- Escalation from a constituent opinion ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def from_opinion(request, opinion_id):
    """形成意见建议: station staff, the office or a deputy turn an opinion into a deputy's draft."""
    require_role(request, Role.STATION_STAFF, Role.OFFICE, Role.DEPUTY)
    opinion = get_object_or_404(opinions_visible_to(request.user), pk=opinion_id)
    if request.user.has_role(Role.DEPUTY):
        deputies = Deputy.objects.filter(pk=request.user.deputy_id)
    else:
        deputies = deputies_visible_to(request.user).filter(is_active=True).order_by("name", "id")
    initial = {
        "deputy": request.user.deputy_id or opinion.deputy_id,
        "title": opinion.content.strip().splitlines()[0][:60] if opinion.content.strip() else "",
    }
    form = forms.EscalateForm(request.POST or None, deputies=deputies, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            outcome = run_service(
                request,
                form,
                lambda: services.suggestion_create_from_opinion(
                    opinion=opinion,
                    deputy=form.cleaned_data["deputy"],
                    actor=request.user,
                    title=form.cleaned_data["title"],
                ),
            )
            if not outcome.ok:
                status = outcome.status
            else:
                suggestion = outcome.result
                messages.success(
                    request,
                    _("A draft suggestion was created for %(deputy)s; the opinion is marked as escalated.")
                    % {"deputy": suggestion.lead_deputy.name},
                )
                if request.user.has_role(Role.DEPUTY):
                    return redirect("suggestions:detail", pk=suggestion.pk)
                return redirect(_opinion_url(opinion))
        else:
            status = 400
    return render(
        request,
        "suggestions/from_opinion.html",
        {"opinion": opinion, "form": form, "tabs": page_tabs(request)},
        status=status,
    )


def _opinion_url(opinion) -> str:
    """Back to the opinion's page when the reception pages are installed, else home."""
    try:
        return reverse("liaison:opinion_detail", args=[opinion.pk])
    except NoReverseMatch:
        return reverse("home")


@login_required
@require_POST
def suggestion_delete(request, pk):
    """Delete a draft that was never submitted; a refusal comes back on the suggestion's page."""
    suggestion = visible_suggestion(request, pk)
    try:
        services.suggestion_draft_delete(suggestion=suggestion, actor=request.user)
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from exc
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect("suggestions:detail", pk=suggestion.pk)
    messages.success(request, _("The draft “%(title)s” is deleted.") % {"title": suggestion.title})
    return redirect("suggestions:list")
