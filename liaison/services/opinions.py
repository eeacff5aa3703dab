"""Opinions (社情民意): recording, the one outcome, referral feedback and resolution.

Every change writes an ``OpinionEvent`` row in the same transaction, so the detail
page's history is complete. The outcome is set once: an opinion that already has an
outcome refuses another (``ActionRefused``), which with the single ``outcome`` column
and the check constraints keeps "exactly one outcome" true.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import backdating, clock
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from core.uploads import clean_image
from core.writes import check_fields
from liaison.models import (
    Opinion,
    OpinionCategory,
    OpinionEvent,
    OpinionEventKind,
    OpinionOutcome,
    OpinionPhoto,
    OpinionSource,
    ReferralFeedback,
)
from organisation.access import can_run_desk, check_grid_in_station, require_desk, station_subtree_ids
from organisation.models import Grid, Station

MAX_CONTENT = 2000
MAX_NOTE = 2000
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Mobile numbers (11 digits starting 1[3-9]) or landlines with area code (0xx-xxxxxxx).
# Outcomes the desk records directly; escalation goes through ``opinion_mark_escalated``.
DIRECT_OUTCOMES = (OpinionOutcome.ANSWERED_ON_SITE, OpinionOutcome.REFERRED, OpinionOutcome.FILED)


def clean_photos(photos) -> list[ContentFile]:
    """Refuse more than three photos, files over 5 MB and anything that is not a real image.

    Returns re-encoded copies under generated names (``core.uploads``): the uploaded name and
    any bytes riding along with the image are never stored.
    """
    photos = [p for p in (photos or []) if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": [_("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS}]})
    return [
        clean_image(
            photo,
            field="photos",
            max_bytes=MAX_PHOTO_BYTES,
            formats=PHOTO_FORMATS,
            invalid_message=_("Only JPEG, PNG, WebP or GIF photos can be attached."),
            too_big_message=_("A photo may be at most 5 MB."),
        )
        for photo in photos
    ]


def _clean_text(value, *, field_name: str, required: bool, limit: int, errors: dict) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[field_name] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field_name] = [_("Keep it under %(n)d characters.") % {"n": limit}]
    return text


@dataclass
class BuiltOpinion:
    """An opinion checked but not yet saved, with what must be saved alongside it."""

    opinion: Opinion
    photos: list = field(default_factory=list)


def opinion_build(
    *,
    data: dict,
    station: Station,
    subtree: set[int],
    received_on: date,
    actor,
    source: str,
    allow_outcome: bool,
) -> BuiltOpinion:
    """Validate one opinion's input without writing anything.

    ``data`` keys: category, content, grid (Grid or None), outcome ('' for none yet),
    outcome_note, referral_unit (HandlingUnit or None), photos (uploaded files).
    """
    errors: dict = {}
    category = data.get("category") or ""
    if category not in OpinionCategory.values:
        errors["category"] = [_("Choose a category.")]
    content = _clean_text(data.get("content"), field_name="content", required=True, limit=MAX_CONTENT, errors=errors)
    note = _clean_text(
        data.get("outcome_note"), field_name="outcome_note", required=False, limit=MAX_NOTE, errors=errors
    )
    grid: Grid | None = data.get("grid")
    try:
        check_grid_in_station(grid, station, subtree)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    outcome = data.get("outcome") or None
    referral_unit = data.get("referral_unit")
    if outcome is not None:
        if not allow_outcome or outcome not in DIRECT_OUTCOMES:
            errors["outcome"] = [_("This outcome cannot be recorded here.")]
        elif outcome == OpinionOutcome.REFERRED and referral_unit is None:
            errors["referral_unit"] = [_("Choose the community or department it is referred to.")]
    if outcome != OpinionOutcome.REFERRED:
        referral_unit = None
    elif referral_unit is not None and not referral_unit.is_active:
        errors["referral_unit"] = [_("This unit is no longer active.")]
    try:
        photos = clean_photos(data.get("photos"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        photos = []
    if errors:
        raise ValidationError(errors)
    # An opinion received on an earlier day is recorded afterwards: an outcome given with it (answered
    # on site, referred at the desk) dates from that day too.
    now = backdating.moment_of(received_on) if received_on < clock.today() else clock.now()
    opinion = Opinion(
        station=station,
        grid=grid,
        deputy=actor.deputy if source == OpinionSource.DEPUTY else None,
        source=source,
        category=category,
        content=content,
        received_on=received_on,
        outcome=outcome,
        outcome_note=note,
        outcome_at=now if outcome else None,
        outcome_by=actor if outcome else None,
        referral_unit=referral_unit,
        recorded_by=actor,
    )
    return BuiltOpinion(opinion=opinion, photos=photos)


def opinion_save_built(*, built: BuiltOpinion, visit=None, actor=None) -> Opinion:
    """Write a built opinion, its photos and its first history rows (inside the caller's transaction)."""
    opinion = built.opinion
    opinion.visit = visit
    check_fields(opinion)
    opinion.save()
    for photo in built.photos:
        OpinionPhoto.objects.create(opinion=opinion, image=photo)
    # Received on an earlier day: the history is dated that day and marked as entered afterwards (补录).
    dated = {}
    if opinion.received_on < clock.today():
        dated = {"at": backdating.moment_of(opinion.received_on), "entered_at": clock.now()}
    events = [OpinionEvent(opinion=opinion, kind=OpinionEventKind.RECEIVED, actor=actor, **dated)]
    if opinion.outcome:
        events.append(
            OpinionEvent(
                opinion=opinion,
                kind=OpinionEventKind.OUTCOME,
                outcome=opinion.outcome,
                note=opinion.outcome_note,
                actor=actor,
                **dated,
            )
        )
    OpinionEvent.objects.bulk_create(events)
    return opinion


@transaction.atomic
def opinion_create(*, actor, station: Station, data: dict, received_on: date | None = None, visit=None) -> Opinion:
    """Record a single opinion outside the visit page (e.g. through the API)."""
    today = clock.today()
    require_desk(actor, station.id)
    received_on = received_on or today
    if received_on > today:
        raise ValidationError({"received_on": [_("The date cannot be in the future.")]})
    if visit is not None and visit.station_id != station.id:
        raise ValidationError({"visit": [_("The visit belongs to another station.")]})
    built = opinion_build(
        data=data,
        station=station,
        subtree=station_subtree_ids(station),
        received_on=received_on,
        actor=actor,
        source=OpinionSource.DESK,
        allow_outcome=True,
    )
    return opinion_save_built(built=built, visit=visit, actor=actor)


def _locked(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update().get(pk=opinion.pk)


def _may_triage(user, opinion: Opinion) -> bool:
    """Station staff and the office triage; a deputy, the opinions they recorded themselves."""
    if can_run_desk(user, opinion.station_id):
        return True
    return bool(user.has_role(Role.DEPUTY) and opinion.recorded_by_id == user.id)


@transaction.atomic
def opinion_set_outcome(
    *, opinion: Opinion, outcome: str, actor, note: str = "", referral_unit=None, happened_on=None
) -> Opinion:
    """Record the opinion's one outcome: answered on site, referred (to a unit) or filed.

    ``happened_on``: 补录, the day the outcome was given, for this station's staff and the office only
    (not before the opinion was received, not in the future); the event is marked as entered afterwards.
    """
    if outcome == OpinionOutcome.ESCALATED:
        if happened_on is not None:
            raise ValidationError({backdating.HAPPENED_ON: _("An escalation is recorded with its suggestion.")})
        return opinion_mark_escalated(opinion=opinion, actor=actor, note=note)
    opinion = _locked(opinion)
    if not _may_triage(actor, opinion):
        raise PermissionRefused(_("Only this station's staff or the office may do this."))
    at, entered_at = _back_recorded_moment(opinion, actor, happened_on, not_before=opinion.received_on)
    errors: dict = {}
    if outcome not in DIRECT_OUTCOMES:
        errors["outcome"] = [_("Unknown outcome.")]
    note = _clean_text(note, field_name="note", required=False, limit=MAX_NOTE, errors=errors)
    if outcome == OpinionOutcome.REFERRED:
        if referral_unit is None:
            errors["referral_unit"] = [_("Choose the community or department it is referred to.")]
        elif not referral_unit.is_active:
            errors["referral_unit"] = [_("This unit is no longer active.")]
    else:
        referral_unit = None
    if errors:
        raise ValidationError(errors)
    if opinion.outcome:
        raise ActionRefused(
            _("This opinion already has an outcome (%(outcome)s).") % {"outcome": opinion.get_outcome_display()},
            code="has_outcome",
        )
    opinion.outcome = outcome
    opinion.outcome_note = note
    opinion.outcome_at = at
    opinion.outcome_by = actor
    opinion.referral_unit = referral_unit
    opinion.save(update_fields=["outcome", "outcome_note", "outcome_at", "outcome_by", "referral_unit"])
    OpinionEvent.objects.create(
        opinion=opinion,
        kind=OpinionEventKind.OUTCOME,
        outcome=outcome,
        note=note,
        actor=actor,
        at=at,
        entered_at=entered_at,
    )
    return opinion


def _back_recorded_moment(opinion: Opinion, actor, happened_on, *, not_before):
    """(moment of the step, when it was entered): now and None for a step taken now; for 补录 the
    day's moment and now, once the date is checked and the actor may (the station's desk: its staff
    and the office). Anyone else giving a date gets a 400."""
    if happened_on is None:
        return clock.now(), None
    if not can_run_desk(actor, opinion.station_id):
        raise backdating.refusal()
    backdating.check_past_day(happened_on, not_before=not_before)
    return backdating.moment_of(happened_on), clock.now()


# --- Escalation service (registered from above) ---------------------------------------------------

# 形成意见建议 makes a draft suggestion, which the suggestions app (a layer above this one) owns. It
# registers its service here when it loads (``SuggestionsConfig.ready``), so the visit page can escalate
# an opinion in the same transaction as the visit without this app importing suggestions.
_escalation_service = None


def register_escalation(service) -> None:
    """Install the service turning an opinion into a deputy's draft: ``service(opinion=, deputy=, actor=)``."""
    global _escalation_service
    _escalation_service = service


def escalation_available() -> bool:
    return _escalation_service is not None


def opinion_escalate(*, opinion: Opinion, deputy, actor):
    """Turn ``opinion`` into a draft suggestion for ``deputy`` through the registered service."""
    if _escalation_service is None:
        raise ActionRefused(_("Opinions cannot be turned into suggestions here."), code="no_escalation")
    return _escalation_service(opinion=opinion, deputy=deputy, actor=actor)


@transaction.atomic
def opinion_mark_escalated(*, opinion: Opinion, actor, note: str = "", happened_on=None) -> Opinion:
    """Give the opinion the outcome "escalated into a suggestion" (形成意见建议).

    The suggestions app calls this when a suggestion names the opinion as a source (the
    link itself lives on the suggestion). Calling it again for an escalated opinion is a
    no-op, so one opinion can feed several suggestions; an opinion with another outcome
    is refused. Station staff, the office and deputies who can see the opinion may do it.
    ``happened_on``: 补录, the day it was escalated (the station's desk only, as for other outcomes).
    """
    from liaison.selectors import opinions_visible_to

    opinion = _locked(opinion)
    allowed = can_run_desk(actor, opinion.station_id) or (
        actor.has_role(Role.DEPUTY) and opinions_visible_to(actor).filter(pk=opinion.pk).exists()
    )
    if not allowed:
        raise PermissionRefused(_("You may not turn this opinion into a suggestion."))
    if opinion.outcome == OpinionOutcome.ESCALATED:
        return opinion
    if opinion.outcome:
        raise ActionRefused(
            _("This opinion already has an outcome (%(outcome)s).") % {"outcome": opinion.get_outcome_display()},
            code="has_outcome",
        )
    at, entered_at = _back_recorded_moment(opinion, actor, happened_on, not_before=opinion.received_on)
    errors: dict = {}
    note = _clean_text(note, field_name="note", required=False, limit=MAX_NOTE, errors=errors)
    if errors:
        raise ValidationError(errors)
    opinion.outcome = OpinionOutcome.ESCALATED
    opinion.outcome_note = note
    opinion.outcome_at = at
    opinion.outcome_by = actor
    opinion.save(update_fields=["outcome", "outcome_note", "outcome_at", "outcome_by"])
    OpinionEvent.objects.create(
        opinion=opinion,
        kind=OpinionEventKind.OUTCOME,
        outcome=OpinionOutcome.ESCALATED,
        note=note,
        actor=actor,
        at=at,
        entered_at=entered_at,
    )
    return opinion


@transaction.atomic
def referral_feedback_add(*, opinion: Opinion, content: str, actor) -> ReferralFeedback:
    """Record what the unit an opinion was referred to reported back (its officers may too)."""
    opinion = _locked(opinion)
    unit_officer = actor.has_role(Role.UNIT_OFFICER) and actor.unit_id and actor.unit_id == opinion.referral_unit_id
    if not (unit_officer or can_run_desk(actor, opinion.station_id)):
        raise PermissionRefused(_("Only this station's staff, the office or the unit handling it may do this."))
    if opinion.outcome != OpinionOutcome.REFERRED:
        raise ActionRefused(_("Only a referred opinion receives referral feedback."), code="not_referred")
    errors: dict = {}
    content = _clean_text(content, field_name="content", required=True, limit=MAX_NOTE, errors=errors)
    if errors:
        raise ValidationError(errors)
    feedback = ReferralFeedback.objects.create(opinion=opinion, content=content, recorded_by=actor)
    OpinionEvent.objects.create(opinion=opinion, kind=OpinionEventKind.FEEDBACK, note=content, actor=actor)
    return feedback


@transaction.atomic
def opinion_resolve(*, opinion: Opinion, note: str, actor, resolved_at=None, happened_on=None) -> Opinion:
    """Record that the underlying problem was solved (推动解决) and how; the constituent sees it.

    ``happened_on``: 补录, the day it was solved, for this station's staff and the office only (not
    before the outcome, not in the future); the event is marked as entered afterwards.
    """
    opinion = _locked(opinion)
    unit_officer = actor.has_role(Role.UNIT_OFFICER) and actor.unit_id and actor.unit_id == opinion.referral_unit_id
    if not (unit_officer or can_run_desk(actor, opinion.station_id)):
        raise PermissionRefused(_("Only this station's staff, the office or the unit handling it may do this."))
    entered_at = None
    if happened_on is not None:
        outcome_day = timezone.localdate(opinion.outcome_at) if opinion.outcome_at else opinion.received_on
        resolved_at, entered_at = _back_recorded_moment(opinion, actor, happened_on, not_before=outcome_day)
    errors: dict = {}
    note = _clean_text(note, field_name="note", required=True, limit=MAX_NOTE, errors=errors)
    resolved_at = resolved_at or clock.now()
    if resolved_at > clock.now():
        errors["resolved_at"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    if not opinion.outcome:
        raise ActionRefused(_("Record the opinion's outcome before marking it resolved."), code="no_outcome")
    if opinion.resolved_at:
        raise ActionRefused(_("This opinion is already resolved."), code="resolved")
    opinion.resolved_at = resolved_at
    opinion.resolution_note = note
    opinion.save(update_fields=["resolved_at", "resolution_note"])
    OpinionEvent.objects.create(
        opinion=opinion,
        kind=OpinionEventKind.RESOLVED,
        note=note,
        actor=actor,
        at=resolved_at if entered_at else clock.now(),
        entered_at=entered_at,
    )
    return opinion
