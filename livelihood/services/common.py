"""The stage table and what every livelihood service shares.

``RULES`` is the one table of what each stage allows; ``check_stage`` refuses an action
outside its stages and ``advance`` moves a locked cycle along the table. Every change
is recorded as a ``CycleEvent`` (``record_event``); the ``require_*`` checks refuse
actors who may not act.
"""

from django.utils.translation import gettext as _

from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from deputies.models import Deputy
from livelihood.models import ACTION_LABELS, CycleEvent, Project, Stage, YearCycle

S = Stage

# The one table of what each stage allows: action → (stages it may run in, stage it moves the cycle to).
RULES: dict[str, tuple[frozenset, str | None]] = {
    "cycle_create": (frozenset(), S.COLLECTING),
    "candidate_add": (frozenset({S.COLLECTING}), None),
    "candidate_update": (frozenset({S.COLLECTING, S.SHORTLISTING}), None),
    "shortlisting_start": (frozenset({S.COLLECTING}), S.SHORTLISTING),
    "shortlist_set": (frozenset({S.SHORTLISTING}), None),
    "vote_open": (frozenset({S.SHORTLISTING}), S.VOTING),
    "attendance_add": (frozenset({S.VOTING}), None),
    "ballot_cast": (frozenset({S.VOTING}), None),
    "paper_ballots_enter": (frozenset({S.VOTING}), None),
    "vote_close": (frozenset({S.VOTING}), None),
    "tie_decide": (frozenset({S.VOTING}), None),
    "implementation_start": (frozenset({S.VOTING}), S.IMPLEMENTING),
    "sub_item_add": (frozenset({S.IMPLEMENTING, S.SUPERVISING}), None),
    "milestone_add": (frozenset({S.IMPLEMENTING, S.SUPERVISING}), None),
    "milestone_complete": (frozenset({S.IMPLEMENTING, S.SUPERVISING, S.EVALUATING}), None),
    "progress_record": (frozenset({S.IMPLEMENTING, S.SUPERVISING, S.EVALUATING}), None),
    "supervision_start": (frozenset({S.IMPLEMENTING}), S.SUPERVISING),
    "visit_record": (frozenset({S.IMPLEMENTING, S.SUPERVISING}), None),
    "evaluation_start": (frozenset({S.SUPERVISING}), S.EVALUATING),
    "rating_record": (frozenset({S.EVALUATING}), None),
    "publish": (frozenset({S.EVALUATING}), S.PUBLISHED),
}


# --- helpers ---------------------------------------------------------------------------------


def check_stage(cycle: YearCycle, action: str) -> str | None:
    """Refuse ``action`` unless the cycle's stage allows it; return the stage it moves to."""
    allowed, to_stage = RULES[action]
    if cycle.stage not in allowed:
        allowed_labels = "、".join(f"“{Stage(s).label}”" for s in Stage.values if s in allowed)
        raise ActionRefused(
            _(
                "The cycle is at the “%(stage)s” stage, so you cannot %(action)s now; "
                "that is only possible at the %(allowed)s stage."
            )
            % {"stage": Stage(cycle.stage).label, "action": ACTION_LABELS[action], "allowed": allowed_labels},
            code="wrong_stage",
        )
    return to_stage


def lock_cycle(cycle: YearCycle) -> YearCycle:
    return YearCycle.objects.select_for_update().get(pk=cycle.pk)


def record_event(
    cycle, action, *, actor, from_stage=None, to_stage=None, candidate=None, project=None, note="", **details
):
    return CycleEvent.objects.create(
        cycle=cycle,
        action=action,
        from_stage=from_stage or cycle.stage,
        to_stage=to_stage or from_stage or cycle.stage,
        actor=actor if actor is not None and actor.is_authenticated else None,
        candidate=candidate,
        project=project,
        note=note,
        details=details,
    )


def is_office(actor) -> bool:
    return actor is not None and actor.has_role(Role.OFFICE, Role.ADMIN)


def require_office(actor) -> None:
    if not is_office(actor):
        raise PermissionRefused(_("Only the congress office can do this."))


def require_unit_or_office(actor, project: Project) -> None:
    if is_office(actor):
        return
    if actor is not None and actor.has_role(Role.UNIT_OFFICER) and actor.unit_id == project.responsible_unit_id:
        return
    raise PermissionRefused(_("Only the project's responsible unit or the congress office can do this."))


def require_deputy_self_or_office(actor, deputy: Deputy) -> None:
    if is_office(actor):
        return
    if actor is not None and actor.has_role(Role.DEPUTY) and actor.deputy_id == deputy.pk:
        return
    raise PermissionRefused(_("A deputy can only act for themselves."))


def advance(cycle: YearCycle, action: str, *, actor, note: str = "", **details) -> YearCycle:
    """Move a locked cycle along the table and record it."""
    to_stage = check_stage(cycle, action)
    from_stage = cycle.stage
    cycle.stage = to_stage
    cycle.save(update_fields=["stage", "updated_at"])
    record_event(cycle, action, actor=actor, from_stage=from_stage, to_stage=to_stage, note=note, **details)
    return cycle


def lock_project_cycle(project: Project, action: str) -> Project:
    project = Project.objects.select_related("cycle", "responsible_unit").get(pk=project.pk)
    project.cycle = lock_cycle(project.cycle)
    check_stage(project.cycle, action)
    return project
