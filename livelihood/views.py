"""Pages for each step of the cycle. Thin: they read through selectors and act through services."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from core.files import serve_file
from core.pages import run_service
from core.roles import Role
from liaison.models import Opinion
from livelihood import forms, selectors
from livelihood.models import (
    Ballot,
    Candidate,
    Choice,
    Milestone,
    ProgressPhoto,
    Project,
    ProjectRating,
    Rating,
    Stage,
    VoteResult,
    VotingSession,
)
from livelihood.services import candidates as candidate_services
from livelihood.services import projects as project_services
from livelihood.services import supervision as supervision_services
from livelihood.services import voting as voting_services
from livelihood.services.common import RULES
from livelihood.services.stage_moves import STAGE_SERVICES
from livelihood.services.voting import PaperBallot
from suggestions.models import Suggestion

# The office's next step from each stage: (service name or None for a page of its own, button label).
NEXT_STEP = {
    Stage.COLLECTING: ("shortlisting_start", gettext_lazy("Close the pool and start shortlisting")),
    Stage.IMPLEMENTING: ("supervision_start", gettext_lazy("Start the supervision stage")),
    Stage.SUPERVISING: ("evaluation_start", gettext_lazy("Start the evaluation")),
    Stage.EVALUATING: ("publish", gettext_lazy("Publish the results")),
}


def _is_office(user) -> bool:
    return user.has_role(Role.OFFICE, Role.ADMIN)


# Refusals show as a message on the page the user comes back to; bad input goes on the form.
SHOW_REFUSALS = {"refusals": "messages", "separator": " "}


def _cycle(request, pk):
    return get_object_or_404(selectors.cycles_visible_to(request.user), pk=pk)


def _session_of(cycle):
    return VotingSession.objects.filter(cycle=cycle).first()


# --- cycles -----------------------------------------------------------------------------------------


@login_required
def cycle_list(request):
    form = forms.CycleForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            outcome = run_service(
                request,
                form,
                lambda: candidate_services.cycle_create(actor=request.user, **form.cleaned_data),
                **SHOW_REFUSALS,
            )
            if outcome.ok:
                cycle = outcome.result
                messages.success(request, _("The cycle has started collecting candidates."))
                return redirect("livelihood:cycle_detail", cycle.pk)
    cycles = selectors.cycles_visible_to(request.user).order_by("-year")
    return render(
        request,
        "livelihood/cycle_list.html",
        {"cycles": cycles, "form": form if _is_office(request.user) else None, "stages": Stage},
    )


@login_required
def cycle_detail(request, pk):
    cycle = _cycle(request, pk)
    user = request.user
    candidates = selectors.candidates_visible_to(user).filter(cycle=cycle).order_by("-shortlisted", "id")
    if cycle.reached(Stage.VOTING) and not (user.sees_everything or user.effective_role == Role.STATION_STAFF):
        candidates = candidates.filter(shortlisted=True)
    session = getattr(cycle, "voting_session", None)
    context = {
        "cycle": cycle,
        "candidates": candidates,
        "session": session,
        "is_office": _is_office(user),
        "can_see_proposer": selectors.can_see_proposer(user),
        "can_add": cycle.stage == Stage.COLLECTING and not user.has_role(Role.LEADER),
        "next_step": NEXT_STEP.get(cycle.stage),
        "stages": [(value, label, i <= cycle.stage_index) for i, (value, label) in enumerate(Stage.choices)],
        "events": selectors.cycle_events(cycle).order_by("-created_at", "-id")[:100] if user.sees_everything else None,
    }
    return render(request, "livelihood/cycle_detail.html", context)


@login_required
@require_POST
def cycle_advance(request, pk):
    cycle = _cycle(request, pk)
    step = request.POST.get("step", "")
    service = STAGE_SERVICES.get(step)
    if service is None:
        messages.error(request, _("Unknown action."))
    else:
        outcome = run_service(request, None, lambda: service(cycle=cycle, actor=request.user), **SHOW_REFUSALS)
        if outcome.ok:
            cycle.refresh_from_db()
            messages.success(
                request, _("The cycle is now at the “%(stage)s” stage.") % {"stage": cycle.get_stage_display()}
            )
    return redirect("livelihood:cycle_detail", cycle.pk)


@login_required
def candidate_add(request, pk):
    cycle = _cycle(request, pk)
    initial = {key: request.GET[key] for key in ("source_opinion", "source_suggestion") if request.GET.get(key)}
    form = forms.CandidateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # The numbers name records of other apps; the service checks the user may see them.
        for field, model in (("source_opinion", Opinion), ("source_suggestion", Suggestion)):
            data[field] = model.objects.filter(pk=data[field]).first() if data[field] else None
        for field in ("source_opinion", "source_suggestion"):
            if form.cleaned_data[field] and data[field] is None:
                form.add_error(field, _("No such record."))
        ok = False
        if not form.errors:
            ok = run_service(
                request,
                form,
                lambda: candidate_services.candidate_add(cycle=cycle, actor=request.user, **data),
                **SHOW_REFUSALS,
            ).ok
        if ok:
            messages.success(request, _("The candidate has been added to the pool."))
            return redirect("livelihood:cycle_detail", cycle.pk)
    return render(request, "livelihood/candidate_form.html", {"cycle": cycle, "form": form})


@login_required
@require_POST
def shortlist_set(request, pk):
    cycle = _cycle(request, pk)
    ids = [int(v) for v in request.POST.getlist("shortlisted") if v.isdecimal()]
    outcome = run_service(
        request,
        None,
        lambda: candidate_services.shortlist_set(
            cycle=cycle, candidates=Candidate.objects.filter(cycle=cycle, pk__in=ids), actor=request.user
        ),
        **SHOW_REFUSALS,
    )
    if outcome.ok:
        chosen = outcome.result
        messages.success(
            request,
            _("The shortlist has %(count)s candidates for %(places)s places.")
            % {"count": len(chosen), "places": cycle.places},
        )
    return redirect("livelihood:cycle_detail", cycle.pk)


# --- the vote ---------------------------------------------------------------------------------------


@login_required
def vote_open(request, pk):
    cycle = _cycle(request, pk)
    if not _is_office(request.user):
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
    context = {"session": session, "cycle": cycle, "is_office": _is_office(user), "places": cycle.places}
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
        if session.tie_pending and _is_office(user):
            context["tie_form"] = forms.TieDecisionForm(tied=cycle.candidates.filter(result=VoteResult.TIE))
            context["tie_seats"] = voting_services.tie_seats(cycle)
    if session.is_open and _is_office(user):
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


# --- projects ---------------------------------------------------------------------------------------


@login_required
def project_list(request):
    projects = selectors.projects_visible_to(request.user).order_by("-cycle__year", "id")
    year = request.GET.get("year", "")
    if year.isdecimal():
        projects = projects.filter(cycle__year=int(year))
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    return render(request, "livelihood/project_list.html", {"page_obj": page, "year": year})


def _project(request, pk) -> Project:
    try:
        return selectors.project_detail(request.user, pk)
    except Project.DoesNotExist:
        raise Http404 from None


def _can_report(user, project) -> bool:
    return _is_office(user) or (user.has_role(Role.UNIT_OFFICER) and user.unit_id == project.responsible_unit_id)


@login_required
def project_detail(request, pk, forms_with_errors=None):
    project = _project(request, pk)
    user = request.user
    stage = project.cycle.stage
    is_deputy = user.has_role(Role.DEPUTY) and bool(user.deputy_id)
    can_report = _can_report(user, project)
    shown = forms_with_errors or {}
    rating_summary = None
    if user.sees_everything or stage == Stage.PUBLISHED:
        counts = Counter(ProjectRating.objects.filter(project=project).values_list("rating", flat=True))
        rating_summary = [(label, counts.get(value, 0)) for value, label in Rating.choices]
    own_rating = ProjectRating.objects.filter(project=project, deputy=user.deputy_id).first() if is_deputy else None
    context = {
        "project": project,
        "cycle": project.cycle,
        "visits": selectors.visits_visible_to(user).filter(project=project),
        "can_report": can_report,
        "rating_summary": rating_summary,
        "own_rating": own_rating,
        "today": timezone.localdate(),
    }
    if can_report and stage in RULES["progress_record"][0]:
        context["progress_form"] = shown.get("progress") or forms.ProgressForm(project=project)
    if can_report and stage in RULES["milestone_add"][0]:
        context["sub_item_form"] = shown.get("sub_item") or forms.SubItemForm()
        context["milestone_form"] = shown.get("milestone") or forms.MilestoneForm()
    context["can_complete"] = can_report and stage in RULES["milestone_complete"][0]
    if is_deputy and stage in RULES["visit_record"][0]:
        context["visit_form"] = shown.get("visit") or forms.VisitForm()
    if is_deputy and own_rating is None and stage in RULES["rating_record"][0]:
        context["rating_form"] = shown.get("rating") or forms.RatingForm()
    return render(request, "livelihood/project_detail.html", context)


def _project_post(request, pk, key, form_class, service, build, success, form_kwargs=None):
    project = _project(request, pk)
    form = form_class(request.POST, request.FILES, **(form_kwargs(project) if form_kwargs else {}))
    if form.is_valid():
        outcome = run_service(
            request, form, lambda: service(actor=request.user, **build(request, project, form)), **SHOW_REFUSALS
        )
        if outcome.ok:
            messages.success(request, success)
            return redirect("livelihood:project_detail", pk)
    if not form.errors:
        return redirect("livelihood:project_detail", pk)
    return project_detail(request, pk, forms_with_errors={key: form})


@login_required
@require_POST
def project_progress(request, pk):
    return _project_post(
        request,
        pk,
        "progress",
        forms.ProgressForm,
        project_services.progress_record,
        lambda request, project, form: {"project": project, **form.cleaned_data},
        _("Progress recorded."),
        form_kwargs=lambda project: {"project": project},
    )


@login_required
@require_POST
def project_sub_item(request, pk):
    return _project_post(
        request,
        pk,
        "sub_item",
        forms.SubItemForm,
        project_services.sub_item_add,
        lambda request, project, form: {"project": project, **form.cleaned_data},
        _("Sub-item added."),
    )


@login_required
@require_POST
def project_milestone(request, pk):
    return _project_post(
        request,
        pk,
        "milestone",
        forms.MilestoneForm,
        project_services.milestone_add,
        lambda request, project, form: {"project": project, **form.cleaned_data},
        _("Milestone added."),
    )


@login_required
@require_POST
def milestone_complete(request, pk, milestone_pk):
    project = _project(request, pk)
    milestone = get_object_or_404(Milestone.objects.filter(project=project), pk=milestone_pk)
    outcome = run_service(
        request,
        None,
        lambda: project_services.milestone_complete(milestone=milestone, actor=request.user),
        **SHOW_REFUSALS,
    )
    if outcome.ok:
        messages.success(request, _("Milestone completed."))
    return redirect("livelihood:project_detail", pk)


@login_required
@require_POST
def project_visit(request, pk):
    return _project_post(
        request,
        pk,
        "visit",
        forms.VisitForm,
        supervision_services.visit_record,
        lambda request, project, form: {"project": project, "deputy": request.user.deputy, **form.cleaned_data},
        _("Supervision visit recorded."),
    )


@login_required
@require_POST
def project_rating(request, pk):
    return _project_post(
        request,
        pk,
        "rating",
        forms.RatingForm,
        supervision_services.rating_record,
        lambda request, project, form: {"project": project, "deputy": request.user.deputy, **form.cleaned_data},
        _("Thank you, your rating has been recorded."),
    )


@login_required
def photo(request, pk):
    """A progress photo, for users who may see its project (media is not served publicly)."""
    visible = selectors.projects_visible_to(request.user).values("id")
    item = get_object_or_404(ProgressPhoto.objects.filter(update__project__in=visible), pk=pk)
    return serve_file(item.image, filename=f"progress-{item.pk}")


# --- 公示: the public page ----------------------------------------------------------------------------


@ratelimit(key="ip", rate="10/h", method="POST", block=False)
def public(request):
    """Results and progress for everyone, without login and without personal data.

    During 征集 it also takes proposals from constituents (rate-limited per address).
    """
    cycles = list(selectors.public_cycles())
    year = request.GET.get("year", "")
    cycle = next((c for c in cycles if str(c.year) == year), cycles[0] if cycles else None)
    collecting = selectors.collecting_cycle()
    form = forms.PublicProposalForm(request.POST or None) if collecting else None
    if request.method == "POST" and collecting:
        if getattr(request, "limited", False):
            messages.error(request, _("Too many proposals from this address; please try again later."))
        elif form.is_valid():
            outcome = run_service(
                request,
                form,
                lambda: candidate_services.candidate_add(cycle=collecting, actor=None, **form.cleaned_data),
                **SHOW_REFUSALS,
            )
            if outcome.ok:
                messages.success(request, _("Thank you. Your proposal has been added to the candidate pool."))
                return redirect("livelihood:public")
    context = {"cycles": cycles, "cycle": cycle, "collecting": collecting, "form": form}
    if cycle is not None:
        context["shortlist"] = selectors.public_shortlist(cycle)
        context["projects"] = selectors.public_projects(cycle)
        context["published"] = cycle.stage == Stage.PUBLISHED
    return render(request, "livelihood/public.html", context)
