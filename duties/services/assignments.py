"""Deputies' grid assignments (网格分工): who serves which grid, as leader or member, from when to when.

Every function takes keyword-only arguments and runs in one transaction; bad input raises
``ValidationError`` and writes nothing.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.writes import check_allowed_fields, clean_instance, delete_instance, locked, save_instance
from deputies.models import Deputy
from duties.models import GridAssignment, GridMode, GridRole
from organisation.models import Grid

ASSIGNMENT_FIELDS = ("role", "mode", "start_date", "end_date")


def _check_assignment(assignment: GridAssignment) -> None:
    """The model's rules, checked first so that each error names the field it is about.

    Callers hold a lock on the grid row, so two assignments to one grid cannot pass these checks at once.
    """
    errors = {}
    others = GridAssignment.objects.filter(grid_id=assignment.grid_id, end_date__isnull=True)
    if assignment.pk:
        others = others.exclude(pk=assignment.pk)
    if assignment.end_date is None:
        if assignment.role == GridRole.LEADER and others.filter(role=GridRole.LEADER).exists():
            errors["role"] = _("This grid already has a grid leader.")
        if others.filter(deputy_id=assignment.deputy_id).exists():
            errors["deputy"] = _("This deputy is already assigned to this grid.")
    if assignment.start_date and assignment.end_date and assignment.end_date < assignment.start_date:
        errors["end_date"] = _("An assignment cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def grid_assignment_create(
    *,
    grid: Grid,
    deputy: Deputy,
    start_date: date,
    role: str = GridRole.MEMBER,
    mode: str = GridMode.PART_TIME,
    end_date: date | None = None,
) -> GridAssignment:
    """Assign a deputy to a grid as grid leader or member (one open leader per grid, one open assignment each)."""
    grid = locked(Grid, grid)
    if not deputy.is_active:
        raise ValidationError({"deputy": _("This deputy is not active and cannot be assigned to a grid.")})
    assignment = GridAssignment(
        grid=grid, deputy=deputy, role=role, mode=mode, start_date=start_date, end_date=end_date
    )
    _check_assignment(assignment)
    clean_instance(assignment)
    save_instance(assignment)
    return assignment


@transaction.atomic
def grid_assignment_update(*, assignment: GridAssignment, **fields) -> GridAssignment:
    """Change an assignment's role, mode or dates; setting ``end_date`` closes it.

    The grid and the deputy cannot change: end the assignment and create another.
    """
    check_allowed_fields(fields, ASSIGNMENT_FIELDS, "grid_assignment_update")
    Grid.objects.select_for_update().get(pk=assignment.grid_id)
    assignment = locked(GridAssignment, assignment)
    for field, value in fields.items():
        setattr(assignment, field, value)
    _check_assignment(assignment)
    clean_instance(assignment)
    save_instance(assignment)
    return assignment


@transaction.atomic
def grid_assignment_delete(*, assignment: GridAssignment) -> None:
    """Delete an assignment entered by mistake (to end a real one, set its end date)."""
    Grid.objects.select_for_update().get(pk=assignment.grid_id)
    assignment = locked(GridAssignment, assignment)
    delete_instance(
        assignment, _("Other records (grid duties …) refer to this assignment; end it instead of deleting it.")
    )
