"""Pages of the projects: the list, a project with its progress, milestones, visits and ratings, photos."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import serve_file
from core.pages import run_service
from core.roles import Role
from livelihood import forms, selectors
from livelihood.models import Milestone, ProgressPhoto, Project, ProjectRating, Rating, Stage
from livelihood.services import projects as project_services
from livelihood.services import supervision as supervision_services
from livelihood.services.common import RULES
from livelihood.views.common import SHOW_REFUSALS, is_office


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
    return is_office(user) or (user.has_role(Role.UNIT_OFFICER) and user.unit_id == project.responsible_unit_id)


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
