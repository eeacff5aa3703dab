"""Reception days (one-off days, cancellations), rosters and visit logging.

The days that rules generate are made in ``liaison.services.rules``.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from core.text import clean_phone
from core.writes import check_fields, clean_instance, save_instance
from deputies.models import Deputy, DeputyGroup
from deputies.selectors import deputies_of_station
from liaison.models import (
    OpinionOutcome,
    ReceptionDay,
    ReceptionDayOrigin,
    RosterEntry,
    Visit,
    VisitChannel,
    VisitConstituent,
)
from liaison.services import opinions as opinion_services
from organisation.access import can_run_desk, check_grid_in_station, require_desk, station_subtree_ids
from organisation.models import Grid, Station


@transaction.atomic
def reception_day_add(*, station: Station, date: date, note: str = "", actor) -> ReceptionDay:
    """A one-off reception day (a themed reception, a make-up day)."""
    require_desk(actor, station.id)
    existing = ReceptionDay.objects.select_for_update().filter(station=station, date=date).first()
    if existing:
        raise ActionRefused(_("This station already has a reception day on that date."), code="exists")
    day = ReceptionDay(station=station, date=date, origin=ReceptionDayOrigin.ONE_OFF, note=note)
    clean_instance(day)
    save_instance(day)
    return day


@transaction.atomic
def reception_day_cancel(*, day: ReceptionDay, reason: str, actor) -> ReceptionDay:
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    require_desk(actor, day.station_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for cancelling the reception day.")]})
    if day.is_cancelled:
        raise ActionRefused(_("This reception day is already cancelled."), code="cancelled")
    if day.visits.exists():
        raise ActionRefused(_("Visits were already recorded on this day; it cannot be cancelled."), code="has_visits")
    day.is_cancelled = True
    day.cancel_reason = reason[:200]
    day.save(update_fields=["is_cancelled", "cancel_reason"])
    return day


@transaction.atomic
def roster_set(
    *, day: ReceptionDay, actor, deputies: Iterable[Deputy] = (), groups: Iterable[DeputyGroup] = ()
) -> list[RosterEntry]:
    """Replace the day's roster with these deputies and groups (编组轮值)."""
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    require_desk(actor, day.station_id)
    if day.is_cancelled:
        raise ActionRefused(_("This reception day is cancelled."), code="cancelled")
    deputies = list({d.pk: d for d in deputies}.values())
    groups = list({g.pk: g for g in groups}.values())
    inactive = [d.name for d in deputies if not d.is_active]
    if inactive:
        raise ValidationError({"deputies": [_("Not an active deputy: %(names)s") % {"names": "、".join(inactive)}]})
    # Rostered deputies are reminded and credited: only this station's (or a station's above it).
    _check_deputies_of_station(
        deputies, day.station, _("These deputies do not belong to this station and cannot be rostered: %(names)s")
    )
    day.roster.all().delete()
    return RosterEntry.objects.bulk_create(
        [RosterEntry(day=day, deputy=d) for d in deputies] + [RosterEntry(day=day, group=g) for g in groups]
    )


# --- visits -------------------------------------------------------------------------------------------


def _clean_constituents(constituents) -> list[dict]:

    cleaned, errors = [], {}
    for index, person in enumerate(constituents or []):
        name = (person.get("name") or "").strip()
        phone = (person.get("phone") or "").strip()
        if not name and not phone:
            continue
        try:
            phone = clean_phone(phone) if phone else ""
        except ValidationError as exc:
            errors[f"constituents[{index}].phone"] = exc.messages
        if len(name) > 50:
            errors[f"constituents[{index}].name"] = [_("The name is too long.")]
        cleaned.append({"name": name, "phone": phone})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_receivers(deputies: list[Deputy], station: Station) -> None:
    """Receivers get credit for the visit and see it: only deputies of this station may be named. One query."""
    _check_deputies_of_station(
        deputies,
        station,
        _("These deputies do not belong to this station and cannot be receivers: %(names)s"),
    )


def _check_deputies_of_station(deputies: list[Deputy], station: Station, message: str) -> None:
    """Refuse (403) deputies who belong neither to ``station`` nor to a station above it. One query."""
    if not deputies:
        return
    allowed = set(
        deputies_of_station(station, with_residents_above=True)
        .filter(pk__in=[d.pk for d in deputies])
        .values_list("pk", flat=True)
    )
    strangers = [d.name for d in deputies if d.pk not in allowed]
    if strangers:
        raise PermissionRefused(message % {"names": "、".join(strangers)}, code="deputy_not_of_station")


@transaction.atomic
def visit_record(
    *,
    actor,
    station: Station,
    date: date,
    channel: str,
    headcount: int,
    deputies: Iterable[Deputy] = (),
    grid: Grid | None = None,
    note: str = "",
    constituents: Iterable[dict] = (),
    opinions: Iterable[dict] = (),
) -> Visit:
    """Record one reception event with its constituents and opinions, all or nothing.

    ``constituents``: dicts with ``name`` and/or ``phone``. ``opinions``: dicts accepted
    by ``opinions.opinion_build`` (category, content, grid, outcome, outcome_note,
    referral_unit, photos). Every input is checked before anything is written, so a bad
    opinion leaves no visit behind. An opinion with the outcome "escalated" (形成意见建议)
    names the deputy in ``escalate_to`` and becomes that deputy's draft suggestion through
    the escalation service, in this transaction: if the escalation is refused, nothing is
    saved. Station staff and the office record for their stations; a deputy records visits
    they made themselves (always among the receivers).
    """
    today = clock.today()
    is_deputy = actor.has_role(Role.DEPUTY) and actor.deputy_id
    if not is_deputy:
        require_desk(actor, station.id)
    else:
        from organisation.selectors import stations_visible_to

        if not stations_visible_to(actor).filter(id=station.id).exists():
            raise PermissionRefused(_("You can record visits only at your own stations."))
    errors = {}
    if not station.is_active:
        errors["station"] = [_("This station is closed.")]
    if channel not in VisitChannel.values:
        errors["channel"] = [_("Unknown channel.")]
    if date is None:
        errors["date"] = [_("Enter the date.")]
    elif date > today:
        errors["date"] = [_("The visit cannot be in the future.")]
    if not isinstance(headcount, int) or headcount < 1:
        errors["headcount"] = [_("A visit receives at least one constituent.")]
    elif headcount > 10000:
        errors["headcount"] = [_("The number of constituents is implausibly large.")]
    subtree = station_subtree_ids(station)
    try:
        check_grid_in_station(grid, station, subtree)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    deputies = list({d.pk: d for d in deputies}.values())
    if is_deputy and actor.deputy_id not in {d.pk for d in deputies}:
        deputies.append(actor.deputy)
    _check_receivers(deputies, station)
    try:
        constituents = _clean_constituents(constituents)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    opinions = list(opinions or [])
    built = []
    escalations = {}  # index of the opinion -> the deputy whose draft it becomes
    for index, data in enumerate(opinions):
        if data.get("outcome") == OpinionOutcome.ESCALATED:
            data = {**data, "outcome": "", "outcome_note": ""}
            if not opinion_services.escalation_available():
                errors[f"opinions[{index}].outcome"] = [_("This outcome cannot be recorded here.")]
            elif data.get("escalate_to") is None:
                errors[f"opinions[{index}].escalate_to"] = [_("Choose the deputy who will raise the suggestion.")]
            else:
                escalations[index] = data["escalate_to"]
        try:
            built.append(
                opinion_services.opinion_build(
                    data=data,
                    station=station,
                    subtree=subtree,
                    received_on=date,
                    actor=actor,
                    source="deputy" if is_deputy else "desk",
                    allow_outcome=True,
                )
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"opinions[{index}].{field}"] = messages
    if errors:
        raise ValidationError(errors)
    day = (
        ReceptionDay.objects.filter(station=station, date=date, is_cancelled=False).first()
        if channel == VisitChannel.AT_STATION
        else None
    )
    visit = Visit(
        station=station,
        reception_day=day,
        date=date,
        channel=channel,
        headcount=headcount,
        grid=grid,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    check_fields(visit)
    visit.save()
    visit.deputies.set(deputies)
    VisitConstituent.objects.bulk_create([VisitConstituent(visit=visit, **person) for person in constituents])
    for index, opinion in enumerate(built):
        saved = opinion_services.opinion_save_built(built=opinion, visit=visit, actor=actor)
        if index in escalations:
            try:
                opinion_services.opinion_escalate(opinion=saved, deputy=escalations[index], actor=actor)
            except ValidationError as exc:
                # Raised inside this transaction: the visit and everything before it roll back too.
                raise ValidationError(
                    {
                        f"opinions[{index}].{'escalate_to' if field in ('deputy', '__all__') else field}": messages
                        for field, messages in exc.message_dict.items()
                    }
                ) from exc
    return visit


def visit_can_be_recorded_by(user, station_id: int) -> bool:
    return can_run_desk(user, station_id) or bool(user.has_role(Role.DEPUTY) and user.deputy_id)
