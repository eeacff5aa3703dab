"""Opinions (社情民意): the list (with its CSV export), one opinion with its triage, feedback,
resolution and contact reveal, and its photos.

Every page starts from a selector scoped to the user, so an object outside the user's
scope is a 404; the services decide the actions and raise ``PermissionRefused`` (403 here)
or ``ActionRefused`` (shown as an error message, nothing changed).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.exports import Column, csv_response
from core.files import serve_file
from core.masking import mask_phone
from core.pages import run_service
from core.pagination import EXACT_LIMIT, capped_count
from core.roles import Role
from liaison.filters.reception import PageOpinionFilter
from liaison.forms import FeedbackForm, OutcomeForm, ResolveForm, RevealForm
from liaison.models import OpinionOutcome
from liaison.selectors import opinion_detail_for, opinions_visible_to, related_opinions
from liaison.services import opinions as opinion_services
from liaison.services import privacy
from liaison.services.privacy import mask_name
from organisation.access import can_reveal_contact, can_run_desk
from organisation.desk import DESK, DESK_ROLES, paginate


def _export_opinions(request, opinions):
    privacy.personal_data_export_log(
        actor=request.user,
        subject=_("Opinion list (%(n)d rows, phones masked)") % {"n": opinions.count()},
        object_type="opinion",
        ip=privacy.client_ip(request),
    )
    columns = [
        Column(_("Received on"), lambda o: o.received_on.isoformat()),
        Column(_("Station"), lambda o: o.station.name),
        Column(_("Grid"), lambda o: o.grid.name if o.grid_id else ""),
        Column(_("Category"), lambda o: o.get_category_display()),
        Column(_("Content"), lambda o: o.content),
        Column(_("Outcome"), lambda o: o.get_outcome_display() if o.outcome else _("Waiting for triage")),
        Column(_("Referred to"), lambda o: o.referral_unit.name if o.referral_unit_id else ""),
        Column(_("Resolved"), lambda o: _("Yes") if o.resolved_at else _("No")),
        Column(_("Source"), lambda o: o.get_source_display()),
        Column(_("Constituent"), lambda o: mask_name(o.contact_name)),
        Column(_("Phone"), lambda o: mask_phone(o.contact_phone)),
    ]
    return csv_response(filename="opinions", columns=columns, rows=opinions)


@login_required
def opinion_list(request):
    user = request.user
    opinions = opinions_visible_to(user).order_by("-received_on", "-id")
    filterset = PageOpinionFilter(request.GET or None, queryset=opinions, request=request)
    if filterset.is_bound and not filterset.is_valid():
        opinions = opinions.none()
    else:
        opinions = filterset.qs
    if request.GET.get("export") == "csv":
        return _export_opinions(request, opinions)
    pending = None
    if user.has_role(*DESK_ROLES):
        # Counted up to a limit: a city's backlog shows as "10000+", not as a count of every row.
        pending = capped_count(opinions_visible_to(user).filter(outcome__isnull=True))
    return render(
        request,
        "liaison/reception/opinion_list.html",
        {
            "page_obj": paginate(request, opinions),
            "filter": filterset,
            "pending": pending,
            "pending_more": pending is not None and pending > EXACT_LIMIT,
            "pending_limit": EXACT_LIMIT,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def opinion_detail(request, pk):
    user = request.user
    try:
        opinion = opinion_detail_for(user, pk)
    except opinions_visible_to(user).model.DoesNotExist:
        raise Http404(_("No such opinion.")) from None
    back_record = can_run_desk(user, opinion.station_id)
    forms_ = {
        "outcome": OutcomeForm(back_record=back_record),
        "feedback": FeedbackForm(),
        "resolve": ResolveForm(back_record=back_record),
        "reveal": RevealForm(),
    }
    contact = {"name": mask_name(opinion.contact_name), "phone": mask_phone(opinion.contact_phone)}
    revealed = False
    if request.method == "POST":
        action = request.POST.get("action", "")
        form_class = {
            "outcome": OutcomeForm,
            "feedback": FeedbackForm,
            "resolve": ResolveForm,
            "reveal": RevealForm,
        }.get(action)
        if form_class is None:
            messages.error(request, _("Unknown action."))
            return redirect("liaison:opinion_detail", opinion.pk)
        dated = {"back_record": back_record} if action in ("outcome", "resolve") else {}
        form = forms_[action] = form_class(request.POST, **dated)
        if form.is_valid():
            data = form.cleaned_data

            def act():
                if action == "outcome":
                    return opinion_services.opinion_set_outcome(opinion=opinion, actor=user, **data)
                if action == "feedback":
                    return opinion_services.referral_feedback_add(opinion=opinion, actor=user, content=data["content"])
                if action == "resolve":
                    return opinion_services.opinion_resolve(
                        opinion=opinion, actor=user, note=data["note"], happened_on=data.get("happened_on")
                    )
                return privacy.opinion_contact_reveal(
                    opinion=opinion, actor=user, reason=data["reason"], ip=privacy.client_ip(request)
                )

            outcome = run_service(request, form, act, **DESK)
            if outcome.ok and action == "reveal":
                contact, revealed = outcome.result, True
            elif outcome.ok:
                messages.success(request, _("Saved."))
                return redirect("liaison:opinion_detail", opinion.pk)
    desk = can_run_desk(user, opinion.station_id)
    unit_officer = user.has_role(Role.UNIT_OFFICER) and user.unit_id == opinion.referral_unit_id
    related, related_group = related_opinions(user, opinion)
    context = {
        "related": related,
        "related_group": related_group,
        "opinion": opinion,
        "forms": forms_,
        "contact": contact,
        "revealed": revealed,
        "may_reveal": bool(opinion.contact_phone or opinion.contact_name)
        and can_reveal_contact(user, station_id=opinion.station_id, referral_unit_id=opinion.referral_unit_id),
        "may_triage": not opinion.outcome and (desk or opinion.recorded_by_id == user.id),
        "may_escalate": not opinion.outcome and (desk or user.has_role(Role.DEPUTY)),
        "may_feedback": opinion.outcome == OpinionOutcome.REFERRED and (desk or unit_officer),
        "may_resolve": bool(opinion.outcome) and not opinion.resolved_at and (desk or unit_officer),
        "suggestion_url": _suggestion_from_opinion_url(opinion),
    }
    return render(request, "liaison/reception/opinion_detail.html", context)


def _suggestion_from_opinion_url(opinion) -> str | None:
    """Where a suggestion is drafted from this opinion (形成意见建议), when the suggestions pages are installed.

    That page creates the draft, links it both ways and gives the opinion its "escalated"
    outcome through ``opinion_mark_escalated``.
    """
    from django.urls import NoReverseMatch

    try:
        return reverse("suggestions:from_opinion", args=[opinion.pk])
    except NoReverseMatch:
        return None


@login_required
def opinion_photo(request, pk, photo_pk):
    """A photo of an opinion the user may see (media files are never served publicly)."""
    opinion = get_object_or_404(opinions_visible_to(request.user), pk=pk)
    photo = get_object_or_404(opinion.photos.all(), pk=photo_pk)
    return serve_file(photo.image, filename=f"opinion-{opinion.pk}-{photo.pk}")
