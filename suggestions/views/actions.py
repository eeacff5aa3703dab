"""One page per action on a suggestion: the form it needs and the service it runs."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.pages import run_service
from core.roles import Role
from suggestions import forms, services
from suggestions.models import Action, Extension, ReturnRequest
from suggestions.views.common import page_tabs, precheck, visible_suggestion
from suggestions.views.confirmations import confirmation


def _item(request, model, suggestion):
    """The extension or return request an office decision is about (``?item=<id>``)."""
    raw = request.GET.get("item") or request.POST.get("item") or ""
    if not raw.isdecimal():
        raise Http404
    return get_object_or_404(model, pk=int(raw), suggestion=suggestion)


@dataclass(frozen=True)
class PageAction:
    form: type
    run: Callable
    submit_label: str
    help: str = ""
    form_kwargs: Callable = field(default=lambda request, suggestion: {})
    initial: Callable = field(default=lambda request, suggestion: {})


def _kw(data: dict, *names) -> dict:
    return {name: data[name] for name in names}


PAGE_ACTIONS = {
    Action.SUBMIT: PageAction(
        forms.ConfirmForm,
        lambda r, s, d: services.suggestion_submit(suggestion=s, actor=r.user, happened_on=d.get("happened_on")),
        gettext_lazy("Submit"),
        gettext_lazy("Once submitted, the suggestion goes to the office and can no longer be edited."),
    ),
    Action.RESUBMIT: PageAction(
        forms.ConfirmForm,
        lambda r, s, d: services.suggestion_resubmit(suggestion=s, actor=r.user, happened_on=d.get("happened_on")),
        gettext_lazy("Resubmit"),
    ),
    Action.COSIGN: PageAction(
        forms.CosignForm,
        lambda r, s, d: services.suggestion_cosign(
            suggestion=s, actor=r.user, accept=d["accept"], deputy=d.get("deputy"), happened_on=d.get("happened_on")
        ),
        gettext_lazy("Send my answer"),
    ),
    Action.WITHDRAW: PageAction(
        forms.ReasonForm,
        lambda r, s, d: services.suggestion_withdraw(
            suggestion=s, actor=r.user, reason=d["reason"], happened_on=d.get("happened_on")
        ),
        gettext_lazy("Withdraw"),
        gettext_lazy("A withdrawal is made in writing and cannot be undone."),
    ),
    Action.RETURN: PageAction(
        forms.ReasonForm,
        lambda r, s, d: services.suggestion_return(
            suggestion=s, actor=r.user, reason=d["reason"], happened_on=d.get("happened_on")
        ),
        gettext_lazy("Return to the deputy"),
        gettext_lazy(
            "Return it when it is not a suggestion (a personal matter, no real content, a forwarded "
            "letter …). The deputy sees the reason and may revise and resubmit."
        ),
    ),
    Action.ASSIGN: PageAction(
        forms.AssignForm,
        lambda r, s, d: services.suggestion_assign(
            suggestion=s,
            actor=r.user,
            lead_unit=d["lead_unit"],
            co_units=list(d["co_units"]),
            complex=d["complex"],
            happened_on=d.get("happened_on"),
        ),
        gettext_lazy("Assign"),
        gettext_lazy("The lead unit must reply within three months; co-units give it their opinion within a month."),
    ),
    Action.REQUEST_RETURN: PageAction(
        forms.ReasonForm,
        lambda r, s, d: services.suggestion_request_return(
            suggestion=s, actor=r.user, reason=d["reason"], unit=d.get("unit"), happened_on=d.get("happened_on")
        ),
        gettext_lazy("Ask the office to take it back"),
        gettext_lazy(
            "Only within seven working days of assignment. The office decides and re-assigns; "
            "do not pass the item on yourself."
        ),
    ),
    Action.DECIDE_RETURN: PageAction(
        forms.DecisionForm,
        lambda r, s, d: services.suggestion_decide_return(
            return_request=_item(r, ReturnRequest, s),
            actor=r.user,
            accept=d["accept"],
            note=d["note"],
            happened_on=d.get("happened_on"),
        ),
        gettext_lazy("Record the decision"),
        gettext_lazy("Approving the lead unit's request sends the suggestion back to you for re-assignment."),
    ),
    Action.ACKNOWLEDGE: PageAction(
        forms.ConfirmForm,
        lambda r, s, d: services.suggestion_acknowledge(suggestion=s, actor=r.user, happened_on=d.get("happened_on")),
        gettext_lazy("Acknowledge"),
    ),
    Action.CO_UNIT_OPINION: PageAction(
        forms.ContentForm,
        lambda r, s, d: services.suggestion_co_unit_opinion(
            suggestion=s, actor=r.user, content=d["content"], unit=d.get("unit"), happened_on=d.get("happened_on")
        ),
        gettext_lazy("Send to the lead unit"),
    ),
    Action.RECORD_CONTACT: PageAction(
        forms.ContactForm,
        lambda r, s, d: services.suggestion_record_contact(
            suggestion=s,
            actor=r.user,
            **_kw(d, "method", "contacted_on", "note"),
            # Recorded afterwards, the contact is dated by its own date.
            happened_on=d["contacted_on"] if d.get("back") else None,
        ),
        gettext_lazy("Record"),
        initial=lambda r, s: {"contacted_on": timezone.localdate()},
    ),
    Action.REPLY: PageAction(
        forms.ReplyForm,
        lambda r, s, d: services.suggestion_reply(
            suggestion=s,
            actor=r.user,
            **_kw(d, "reply_class", "content", "contacted", "attachment"),
            happened_on=d.get("happened_on"),
        ),
        gettext_lazy("Send the reply"),
        gettext_lazy(
            "A: solved or basically solved · B: being solved or planned · C: to be solved when "
            "conditions allow · D: kept for reference. B and C stay tracked after closing."
        ),
        initial=lambda r, s: {"contacted": bool(s.contacts.all())},
    ),
    Action.EVALUATE: PageAction(
        forms.EvaluateForm,
        lambda r, s, d: services.suggestion_evaluate(
            suggestion=s, actor=r.user, **_kw(d, "rating", "comment"), happened_on=d.get("happened_on")
        ),
        gettext_lazy("Send my evaluation"),
        gettext_lazy(
            "Unsatisfied with the first reply sends it back to the unit for one more reply within a "
            "month; any other rating, and any rating of the second reply, closes it."
        ),
    ),
    Action.EXTEND: PageAction(
        forms.ExtendForm,
        lambda r, s, d: services.suggestion_extend(
            suggestion=s, actor=r.user, **_kw(d, "new_due", "reason"), happened_on=d.get("happened_on")
        ),
        gettext_lazy("Extend the deadline"),
        gettext_lazy(
            "At most six months after assignment; the office approves requests, and the deputy sees the reason."
        ),
    ),
    Action.DECIDE_EXTENSION: PageAction(
        forms.DecisionForm,
        lambda r, s, d: services.suggestion_decide_extension(
            extension=_item(r, Extension, s),
            actor=r.user,
            approve=d["accept"],
            note=d["note"],
            happened_on=d.get("happened_on"),
        ),
        gettext_lazy("Record the decision"),
    ),
    Action.SUPERVISE: PageAction(
        forms.SuperviseForm,
        lambda r, s, d: services.suggestion_supervise(
            suggestion=s,
            actor=r.user,
            note=d["note"],
            key_supervision=d.get("key_supervision"),
            happened_on=d.get("happened_on"),
        ),
        gettext_lazy("Save the note"),
        form_kwargs=lambda r, s: {"can_flag": r.user.has_role(Role.LEADER)},
        initial=lambda r, s: {"key_supervision": ""},
    ),
    Action.FOLLOW_UP: PageAction(
        forms.FollowUpForm,
        lambda r, s, d: services.suggestion_follow_up(
            suggestion=s, actor=r.user, **_kw(d, "content", "solved"), happened_on=d.get("happened_on")
        ),
        gettext_lazy("Record progress"),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_action(request, pk, action):
    if action not in PAGE_ACTIONS:
        raise Http404
    suggestion = visible_suggestion(request, pk)
    # 补录: ``?back=1`` records the step afterwards, with the date it happened (office, station staff).
    back = (request.POST.get("back") if request.method == "POST" else request.GET.get("back")) == "1"
    refusal = precheck(request, suggestion, action, back=back)
    if refusal:
        return refusal
    page_action = PAGE_ACTIONS[action]
    item = None
    if action == Action.DECIDE_RETURN:
        item = _item(request, ReturnRequest, suggestion)
    elif action == Action.DECIDE_EXTENSION:
        item = _item(request, Extension, suggestion)
    form_kwargs = page_action.form_kwargs(request, suggestion)
    if request.method == "POST":
        form = page_action.form(request.POST, request.FILES, **form_kwargs)
    else:
        form = page_action.form(initial=page_action.initial(request, suggestion), **form_kwargs)
    if back:
        forms.add_happened_on(form, dated_by=("contacted_on" if action == Action.RECORD_CONTACT else None))
        forms.add_acting_party(form, action=action, suggestion=suggestion)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {**form.cleaned_data, "back": back}
            outcome = run_service(request, form, lambda: page_action.run(request, suggestion, data))
            if not outcome.ok:
                status = outcome.status
            else:
                suggestion.refresh_from_db()
                messages.success(request, confirmation(action, suggestion))
                return redirect("suggestions:detail", pk=suggestion.pk)
        else:
            status = 400
    return render(
        request,
        "suggestions/action.html",
        {
            "suggestion": suggestion,
            "form": form,
            "action": action,
            "heading": Action(action).label,
            "help": page_action.help,
            "submit_label": page_action.submit_label,
            "item": item,
            "back": back,
            "tabs": page_tabs(request),
        },
        status=status,
    )
