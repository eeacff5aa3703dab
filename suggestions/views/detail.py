"""One suggestion: its page and its files."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from core.files import serve_file
from core.roles import Role
from suggestions import selectors
from suggestions.models import Action, State
from suggestions.transitions import actors_of, available_actions, back_recordable_actions, may_back_record
from suggestions.views.common import page_tabs, visible_suggestion

# Actions that are one click (with a confirmation) on the detail page; the others have a form page.
ONE_CLICK = {Action.SUBMIT, Action.RESUBMIT, Action.ACKNOWLEDGE}


@login_required
def suggestion_detail(request, pk):
    suggestion = visible_suggestion(request, pk)
    actors = actors_of(request.user, suggestion)
    can_edit = Action.UPDATE in available_actions(suggestion=suggestion, actors=actors)
    # A draft never submitted is deleted, not withdrawn, unless it answers constituents' opinions.
    can_delete = can_edit and suggestion.state == State.DRAFT and not suggestion.source_opinions.exists()
    actions = [
        a
        for a in available_actions(suggestion=suggestion, actors=actors)
        if a != Action.UPDATE and not (can_delete and a == Action.WITHDRAW)
    ]
    back_actions = back_recordable_actions(suggestion=suggestion) if may_back_record(request.user, suggestion) else []
    return render(
        request,
        "suggestions/detail.html",
        {
            "suggestion": suggestion,
            "actions": [{"name": a, "label": Action(a).label, "one_click": a in ONE_CLICK} for a in actions],
            "back_actions": [{"name": a, "label": Action(a).label} for a in back_actions],
            "can_edit": can_edit,
            "can_delete": can_delete,
            "pending_extensions": [e for e in suggestion.extensions.all() if e.status == "pending"],
            "pending_returns": [r for r in suggestion.return_requests.all() if r.status == "pending"],
            "is_office": request.user.has_role(Role.OFFICE),
            "tabs": page_tabs(request),
        },
    )


@login_required
def attachment_download(request, pk, attachment_pk):
    """A file attached to a suggestion, for whoever may see the suggestion (404 otherwise)."""
    suggestion = get_object_or_404(selectors.suggestions_visible_to(request.user), pk=pk)
    attachment = get_object_or_404(suggestion.attachments.all(), pk=attachment_pk)
    return serve_file(attachment.file, filename=attachment.name)


@login_required
def reply_attachment_download(request, pk, reply_pk):
    """The signed letter attached to a reply, for whoever may see the suggestion (404 otherwise)."""
    suggestion = get_object_or_404(selectors.suggestions_visible_to(request.user), pk=pk)
    reply = get_object_or_404(suggestion.replies.exclude(attachment=""), pk=reply_pk)
    return serve_file(reply.attachment, filename=reply.attachment_name or f"reply-{reply.round}")
