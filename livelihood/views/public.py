"""公示: the public page of results and progress, which also takes constituents' proposals while collecting."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from core.pages import run_service
from livelihood import forms, selectors
from livelihood.models import Stage
from livelihood.services import candidates as candidate_services
from livelihood.views.common import SHOW_REFUSALS


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
