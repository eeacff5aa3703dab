"""Querysets that read livelihood data, already scoped to the user and prefetched.

Who sees what:

- office, leaders, admins: everything (the ballot audit shows who voted, never how);
- station staff: cycles, candidates and projects (they collect proposals and enter paper ballots);
- deputies: cycles, the shortlist and their own proposals, all projects (they supervise and rate
  them), and only their own ballots, ratings and supervision visits;
- unit officers: cycles, candidates and projects of their unit, and the supervision visits to them;
- the public (no account): published results and progress, with no personal data
  (``public_cycles`` / ``public_projects``).
"""

from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from core.roles import Role
from core.scoping import ALL, scoped
from livelihood.models import (
    STAGE_ORDER,
    Attendance,
    Ballot,
    BallotChoice,
    Candidate,
    CycleEvent,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectRating,
    Rating,
    Stage,
    SubItem,
    SupervisionVisit,
    VotingSession,
    YearCycle,
)


def _count(model, fk: str, **filters):
    """A correlated ``COUNT`` of ``model`` rows pointing at the outer row through ``fk``.

    Subqueries rather than joins: several counts over joins would multiply each other's rows.
    """
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _role(user) -> str:
    return user.effective_role


def _own(user) -> Q:
    """A deputy's own rows (ballots, ratings, supervision visits)."""
    return Q(deputy=user.deputy_id)


def cycles_visible_to(user) -> QuerySet[YearCycle]:
    """Every signed-in role sees the cycles themselves (no personal data in them)."""
    base = (
        YearCycle.objects.select_related("voting_session")
        .annotate(
            candidate_count=_count(Candidate, "cycle"),
            shortlist_count=_count(Candidate, "cycle", shortlisted=True),
            project_count=_count(Project, "cycle"),
        )
        .order_by("-year")
    )
    return base if _active(user) else base.none()


def cycle_events(cycle: YearCycle) -> QuerySet[CycleEvent]:
    return cycle.events.select_related("actor", "candidate", "project")


def candidates_visible_to(user) -> QuerySet[Candidate]:
    return scoped(
        user,
        Candidate.objects.select_related("cycle", "responsible_unit", "proposer_deputy"),
        staff=ALL,
        deputy=lambda user: Q(shortlisted=True) | Q(proposer_deputy=user.deputy_id),
        unit_officer=lambda user: Q(responsible_unit=user.unit_id) | Q(created_by=user),
        distinct=False,
    )


def can_see_proposer(user) -> bool:
    """A constituent's name and phone are for the people who organise the pool."""
    return _active(user) and (user.sees_everything or _role(user) == Role.STATION_STAFF)


def sessions_visible_to(user) -> QuerySet[VotingSession]:
    base = (
        VotingSession.objects.select_related("cycle", "opened_by", "closed_by")
        .annotate(present_count=_count(Attendance, "session"), ballot_count=_count(Ballot, "session"))
        .order_by("-opened_at", "-id")
    )
    return base if _active(user) else base.none()


def ballots_visible_to(user) -> QuerySet[Ballot]:
    """Office, leaders and admins audit who voted; a deputy sees their own ballot. Choices are
    not loaded here: only ``own_ballot_choices`` shows how someone voted, and only to them."""
    return scoped(
        user,
        Ballot.objects.select_related("deputy", "entered_by", "session__cycle"),
        deputy=_own,
        distinct=False,
    )


def own_ballot_choices(user, ballot: Ballot) -> QuerySet[BallotChoice]:
    """How a ballot voted, for the deputy who cast it and nobody else."""
    if _active(user) and _role(user) == Role.DEPUTY and user.deputy_id == ballot.deputy_id:
        return ballot.choices.select_related("candidate").order_by("candidate_id")
    return BallotChoice.objects.none()


def projects_visible_to(user) -> QuerySet[Project]:
    """Projects with their unit and cycle; counts of sub-items and open milestones annotated."""
    base = (
        Project.objects.select_related("cycle", "responsible_unit", "candidate")
        .annotate(
            sub_item_count=_count(SubItem, "project"),
            milestone_count=_count(Milestone, "project"),
            open_milestone_count=_count(Milestone, "project", completed_on__isnull=True),
        )
        .order_by("-cycle__year", "id")
    )
    return scoped(
        user,
        base,
        staff=ALL,
        deputy=ALL,
        unit_officer=lambda user: Q(responsible_unit=user.unit_id),
        distinct=False,
    )


def project_detail(user, pk: int) -> Project:
    """One visible project with everything its page shows (raises DoesNotExist otherwise)."""
    return (
        projects_visible_to(user)
        .prefetch_related(
            Prefetch("sub_items", queryset=SubItem.objects.order_by("id")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.select_related("sub_item", "recorded_by").prefetch_related("photos"),
            ),
        )
        .get(pk=pk)
    )


def visits_visible_to(user) -> QuerySet[SupervisionVisit]:
    return scoped(
        user,
        SupervisionVisit.objects.select_related("project__cycle", "deputy", "recorded_by"),
        deputy=_own,
        unit_officer=lambda user: Q(project__responsible_unit=user.unit_id),
        distinct=False,
    )


def ratings_visible_to(user) -> QuerySet[ProjectRating]:
    return scoped(user, ProjectRating.objects.select_related("project__cycle", "deputy"), deputy=_own, distinct=False)


def with_rating_counts(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate how many deputies chose each rating (counts only, no names)."""
    return projects.annotate(
        rated_satisfied=_count(ProjectRating, "project", rating=Rating.SATISFIED),
        rated_basically=_count(ProjectRating, "project", rating=Rating.BASICALLY_SATISFIED),
        rated_unsatisfied=_count(ProjectRating, "project", rating=Rating.UNSATISFIED),
    )


def overdue_milestones(today: date) -> QuerySet[Milestone]:
    """Open milestones past their due date in cycles still being implemented, for reminders.

    Uses the partial index on open milestones' due dates; the project and its unit are
    loaded, so a reminder can name both without further queries.
    """
    return (
        Milestone.objects.filter(
            completed_on__isnull=True,
            due_date__lt=today,
            project__cycle__stage__in=[Stage.IMPLEMENTING, Stage.SUPERVISING, Stage.EVALUATING],
        )
        .select_related("project__responsible_unit", "project__cycle")
        .order_by("due_date", "id")
    )


# --- the public 公示 page: no login, no personal data ---------------------------------------------

PUBLIC_FROM = STAGE_ORDER[STAGE_ORDER.index(Stage.IMPLEMENTING) :]


def public_cycles() -> QuerySet[YearCycle]:
    """Cycles whose vote result is final (implementation onwards)."""
    return YearCycle.objects.filter(stage__in=PUBLIC_FROM).order_by("-year")


def collecting_cycle() -> YearCycle | None:
    """The cycle taking proposals from the public, if any."""
    return YearCycle.objects.filter(stage=Stage.COLLECTING).order_by("-year").first()


def public_shortlist(cycle: YearCycle) -> QuerySet[Candidate]:
    """The voted candidates with their counts; only columns without personal data are loaded."""
    return (
        cycle.candidates.filter(shortlisted=True)
        .only("id", "cycle_id", "title", "proposer_kind", "votes_for", "votes_against", "votes_abstain", "result")
        .order_by("-votes_for", "id")
    )


def public_projects(cycle: YearCycle) -> QuerySet[Project]:
    """Projects with unit, milestones and progress notes; who recorded them is not loaded."""
    return with_rating_counts(
        cycle.projects.select_related("responsible_unit").annotate(sub_item_count=_count(SubItem, "project"))
    ).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
        Prefetch(
            "progress_updates",
            queryset=ProgressUpdate.objects.only("id", "project_id", "percent", "note", "created_at"),
        ),
    )
