"""Pages of the vote: opening it, the session, attendance, ballots online and on paper, the tie, the audit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import run_service
from core.roles import Role
from livelihood import forms, selectors
from livelihood.models import Ballot, Choice, VoteResult
from livelihood.services import voting as voting_services
from livelihood.services.voting import PaperBallot
from livelihood.views.common import SHOW_REFUSALS, cycle_or_404, is_office


@login_required
def vote_open(request, pk):
    cycle = cycle_or_404(request, pk)
    if not is_office(request.user):
        raise PermissionDenied
    form = forms.VoteOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: voting_services.vote_open(cycle=cycle, present=form.cleaned_data["present"], actor=request.user),
            **SHOW_REFUSALS,
        )
        if outcome.ok:
            session = outcome.result
            messages.success(request, _("The vote is open."))
            return redirect("livelihood:session_detail", session.pk)
    shortlist = cycle.candidates.filter(shortlisted=True).order_by("id")
    return render(request, "livelihood/vote_open.html", {"cycle": cycle, "form": form, "shortlist": shortlist})


def _session(request, pk):
    return get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)


@login_required
def session_detail(request, pk):
    session = _session(request, pk)
    cycle = session.cycle
    user = request.user
    shortlist = list(cycle.candidates.filter(shortlisted=True).order_by("id"))
    context = {"session": session, "cycle": cycle, "is_office": is_office(user), "places": cycle.places}
    if user.has_role(Role.DEPUTY) and user.deputy_id:
        own = Ballot.objects.filter(session=session, deputy=user.deputy_id).first()
        context["own_ballot"] = own
        context["own_choices"] = selectors.own_ballot_choices(user, own) if own else None
        context["is_present"] = session.attendance.filter(deputy=user.deputy_id).exists()
        if own is None and context["is_present"] and session.is_open:
            form = forms.BallotForm(request.POST or None, candidates=shortlist)
            if request.method == "POST" and form.is_valid():
                outcome = run_service(
                    request,
                    form,
                    lambda: voting_services.ballot_cast(
                        session=session, deputy=user.deputy, choices=form.choices(), actor=user
                    ),
                    **SHOW_REFUSALS,
                )
                if outcome.ok:
                    messages.success(request, _("Your ballot has been cast."))
                    return redirect("livelihood:session_detail", session.pk)
            context["ballot_form"] = form
    if request.method == "POST" and "ballot_form" not in context:
        if context.get("own_ballot"):
            messages.error(request, _("You have already voted; a ballot cannot be cast twice or changed."))
        else:
            messages.error(request, _("You cannot vote in this session."))
        return redirect("livelihood:session_detail", session.pk)
    if not session.is_open:
        context["results"] = sorted(shortlist, key=lambda c: (-c.votes_for, c.pk))
        if session.tie_pending and is_office(user):
            context["tie_form"] = forms.TieDecisionForm(tied=cycle.candidates.filter(result=VoteResult.TIE))
            context["tie_seats"] = voting_services.tie_seats(cycle)
    if session.is_open and is_office(user):
        present = session.attendance.values("deputy_id")
        context["attendance_form"] = forms.AttendanceForm()
        context["attendance_form"].fields["deputies"].queryset = (
            context["attendance_form"].fields["deputies"].queryset.exclude(pk__in=present).order_by("name")
        )
    context["majority"] = session.present_count // 2 + 1
    return render(request, "livelihood/session_detail.html", context)


@login_required
@require_POST
def session_close(request, pk):
    session = _session(request, pk)
    outcome = run_service(
        request, None, lambda: voting_services.vote_close(session=session, actor=request.user), **SHOW_REFUSALS
    )
    if outcome.ok:
        session = outcome.result
        if session.tie_pending:
            messages.warning(request, _("The vote is closed. There is a tie at the cut-off that needs a decision."))
        else:
            messages.success(request, _("The vote is closed and counted."))
    return redirect("livelihood:session_detail", pk)


@login_required
@require_POST
def session_attendance(request, pk):
    session = _session(request, pk)
    form = forms.AttendanceForm(request.POST)
    if form.is_valid():
        outcome = run_service(
            request,
            None,
            lambda: voting_services.attendance_add(
                session=session, deputies=form.cleaned_data["deputies"], actor=request.user
            ),
            **SHOW_REFUSALS,
        )
        if outcome.ok:
            added = outcome.result
            messages.success(request, _("%(count)s deputies added as present.") % {"count": added})
    else:
        messages.error(request, _("Choose the deputies who arrived."))
    return redirect("livelihood:session_detail", pk)


@login_required
@require_POST
def tie_decide(request, pk):
    session = _session(request, pk)
    form = forms.TieDecisionForm(request.POST, tied=session.cycle.candidates.filter(result=VoteResult.TIE))
    if form.is_valid():
        outcome = run_service(
            request,
            None,
            lambda: voting_services.tie_decide(
                session=session,
                selected=form.cleaned_data["selected"],
                note=form.cleaned_data["note"],
                actor=request.user,
            ),
            **SHOW_REFUSALS,
        )
        if outcome.ok:
            messages.success(request, _("The decision on the tie has been recorded."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("livelihood:session_detail", pk)


@login_required
def paper_ballots(request, pk):
    """Enter many paper ballots at once: one row per present deputy who has not voted yet.

    A row left entirely blank is skipped; the filled rows are counted together or not at all.
    """
    session = _session(request, pk)
    if not request.user.has_role(Role.OFFICE, Role.ADMIN, Role.STATION_STAFF):
        raise PermissionDenied
    cycle = session.cycle
    shortlist = list(cycle.candidates.filter(shortlisted=True).order_by("id"))
    voted = set(session.ballots.values_list("deputy_id", flat=True))
    attendance = session.attendance.select_related("deputy").order_by("deputy__name")
    deputies = [a.deputy for a in attendance if a.deputy_id not in voted]
    values = {}
    if request.method == "POST":
        batch = []
        for deputy in deputies:
            choices = {}
            for candidate in shortlist:
                value = request.POST.get(f"b-{deputy.pk}-{candidate.pk}", "")
                values[(deputy.pk, candidate.pk)] = value
                if value:
                    choices[candidate.pk] = value
            if choices:
                batch.append(PaperBallot(deputy=deputy, choices=choices))
        outcome = run_service(
            request,
            None,
            lambda: voting_services.paper_ballots_enter(session=session, ballots=batch, actor=request.user),
            **SHOW_REFUSALS,
        )
        if outcome.ok:
            written = outcome.result
            messages.success(request, _("%(count)s paper ballots entered.") % {"count": len(written)})
            return redirect("livelihood:session_detail", session.pk)
    rows = [
        (deputy, [(candidate, values.get((deputy.pk, candidate.pk), "")) for candidate in shortlist])
        for deputy in deputies
    ]
    return render(
        request,
        "livelihood/paper_ballots.html",
        {"session": session, "cycle": cycle, "shortlist": shortlist, "rows": rows, "choices": Choice.choices},
    )


@login_required
def session_audit(request, pk):
    """Who was present and who voted, when and how the ballot was entered — never how anyone voted."""
    session = _session(request, pk)
    if not request.user.sees_everything:
        raise PermissionDenied
    ballots = {
        b.deputy_id: b
        for b in selectors.ballots_visible_to(request.user).filter(session=session).select_related("entered_by")
    }
    attendance = session.attendance.select_related("deputy").order_by("deputy__name")
    rows = [(a, ballots.get(a.deputy_id)) for a in attendance]
    return render(
        request,
        "livelihood/session_audit.html",
        {"session": session, "cycle": session.cycle, "rows": rows, "voted": len(ballots)},
    )
