"""Pages of a cycle: the list, the cycle with its pool, its stage moves, adding candidates, the shortlist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pages import run_service
from core.roles import Role
from liaison.models import Opinion
from livelihood import forms, selectors
from livelihood.models import Candidate, Stage
from livelihood.services import candidates as candidate_services
from livelihood.services.stage_moves import STAGE_SERVICES
from livelihood.views.common import SHOW_REFUSALS, cycle_or_404, is_office
from suggestions.models import Suggestion

# The office's next step from each stage: (service name or None for a page of its own, button label).
NEXT_STEP = {
    Stage.COLLECTING: ("shortlisting_start", gettext_lazy("Close the pool and start shortlisting")),
    Stage.IMPLEMENTING: ("supervision_start", gettext_lazy("Start the supervision stage")),
    Stage.SUPERVISING: ("evaluation_start", gettext_lazy("Start the evaluation")),
    Stage.EVALUATING: ("publish", gettext_lazy("Publish the results")),
}


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
        {"cycles": cycles, "form": form if is_office(request.user) else None, "stages": Stage},
    )


@login_required
def cycle_detail(request, pk):
    cycle = cycle_or_404(request, pk)
    user = request.user
    candidates = selectors.candidates_visible_to(user).filter(cycle=cycle).order_by("-shortlisted", "id")
    if cycle.reached(Stage.VOTING) and not (user.sees_everything or user.effective_role == Role.STATION_STAFF):
        candidates = candidates.filter(shortlisted=True)
    session = getattr(cycle, "voting_session", None)
    context = {
        "cycle": cycle,
        "candidates": candidates,
        "session": session,
        "is_office": is_office(user),
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
    cycle = cycle_or_404(request, pk)
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
    cycle = cycle_or_404(request, pk)
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
    cycle = cycle_or_404(request, pk)
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
