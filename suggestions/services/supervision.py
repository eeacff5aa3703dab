"""督: supervision notes, and key supervision set or lifted by a leader."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import PermissionRefused
from suggestions.models import (
    Action,
    Suggestion,
    SupervisionNote,
)
from suggestions.notices import supervision as notices
from suggestions.services.common import (
    begin_dated,
    clean_text,
    record,
)
from suggestions.transitions import Actor


@transaction.atomic
def suggestion_supervise(
    *, suggestion: Suggestion, actor, note: str, key_supervision: bool | None = None, happened_on=None
) -> SupervisionNote:
    """督: a supervision note by a leader or the office; only a leader sets or lifts key supervision (重点督办)."""
    suggestion, actors, when = begin_dated(suggestion, Action.SUPERVISE, actor, happened_on)
    # A leader's flag recorded afterwards is entered by the office or station staff on the leader's behalf.
    if key_supervision is not None and Actor.LEADER not in actors and not when.back_recorded:
        raise PermissionRefused(_("Only a leader can set or lift key supervision."), code="leader_only")
    note = clean_text(note, "note", _("Write the supervision note."))
    if key_supervision is not None:
        suggestion.key_supervision = bool(key_supervision)
        suggestion.key_supervisor = actor if key_supervision else None
        suggestion.save()
    supervision = SupervisionNote.objects.create(
        suggestion=suggestion, author=actor, note=note, key_supervision=key_supervision, created_at=when.at
    )
    record(
        suggestion,
        actor=actor,
        action=Action.SUPERVISE,
        from_state=suggestion.state,
        note=note,
        data={"key_supervision": key_supervision},
        when=when,
    )
    if not when.back_recorded:  # a step of the past is not news
        notices.supervised(suggestion, actor=actor, note=note, key_supervision=key_supervision)
    return supervision
