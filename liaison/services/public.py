"""The public QR channel: constituents submit opinions without an account and follow them.

A submission lands in the station's triage queue (an opinion without an outcome). The
constituent gets a tracking code; the status needs the code plus four digits, their
phone's last four or, when they left no phone, a check number shown once on submission.
The status never contains anything personal: no name, phone, content or staff names.
"""

import logging
import secrets
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionRefused
from core.masking import mask_phone
from core.tasks import enqueue_on_commit
from core.text import clean_phone
from deputies.models import Deputy
from deputies.selectors import deputies_of_station
from liaison.models import Opinion, OpinionCategory, OpinionEvent, OpinionEventKind, OpinionOutcome, OpinionPhoto
from liaison.services.opinions import MAX_CONTENT, clean_photos
from organisation.models import Station

# Per client address, shared by the QR pages and the public API (django-ratelimit groups):
# a sixth submission within a minute is refused, and status look-ups are limited so the
# four check digits cannot be guessed.
SUBMIT_RATE = "5/m"
SUBMIT_GROUP = "liaison.public.submit"
STATUS_RATE = "10/m"
STATUS_GROUP = "liaison.public.status"

logger = logging.getLogger(__name__)

# Sending the tracking code by SMS: per client address, and at most a few times per opinion.
SMS_RATE = "3/10m"
SMS_GROUP = "liaison.public.sms"
SMS_PER_OPINION = 3
SMS_TASK = "liaison.send_tracking_sms"

# No 0/O, 1/I/L: codes are read aloud and typed on phones. Nine characters in three groups of three
# (``K7M-4QX-92R``), stored with the dashes; 31^9 codes, and a look-up also needs four digits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUP = 3
CODE_GROUPS = 3
CODE_LENGTH = CODE_GROUP * CODE_GROUPS
# Codes issued before the grouped form: ten characters of the same alphabet, no dashes; still valid.
LEGACY_CODE_LENGTH = 10


@dataclass(frozen=True)
class Submission:
    tracking_code: str
    # Shown once to a constituent who left no phone; empty when the phone's last four apply.
    check_digits: str
    opinion_id: int = 0


def public_station_for_deputy(deputy: Deputy) -> Station | None:
    """The station a deputy's QR code files opinions under: where they are resident, else their grid's."""
    station = deputy.resident_stations.filter(is_active=True).order_by("id").first()
    if station:
        return station
    assignment = (
        deputy.grid_assignments.filter(end_date__isnull=True, grid__centre__community__station__is_active=True)
        .select_related("grid__centre__community__station")
        .order_by("id")
        .first()
    )
    return assignment.grid.centre.community.station if assignment else None


def _belongs(deputy: Deputy, station: Station) -> bool:
    """Resident at the station (or below it) or holding a grid under it. One query."""
    return deputies_of_station(station).filter(pk=deputy.pk).exists()


def _new_code() -> str:
    return format_code("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))


def format_code(raw: str) -> str:
    """``K7M4QX92R`` → ``K7M-4QX-92R``."""
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, len(raw), CODE_GROUP))


def public_opinion_submit(
    *,
    station: Station | None,
    category: str,
    content: str,
    deputy: Deputy | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    photos=(),
    consent: bool = True,
) -> Submission:
    """File a constituent's opinion from the QR page or the public API; all or nothing."""
    errors: dict = {}
    if deputy is not None and station is None:
        station = public_station_for_deputy(deputy)
    if station is None or not station.is_active:
        errors["station"] = [_("This QR code does not belong to an open station.")]
    if deputy is not None and not deputy.is_active:
        errors["deputy"] = [_("This deputy no longer receives opinions here.")]
    elif deputy is not None and station is not None and not _belongs(deputy, station):
        errors["deputy"] = [_("This deputy does not receive opinions at this station.")]
    if not consent:
        errors["consent"] = [_("Please read and accept the privacy notice first.")]
    if category not in OpinionCategory.values:
        errors["category"] = [_("Choose a category.")]
    content = (content or "").strip()
    if not content:
        errors["content"] = [_("Describe the matter.")]
    elif len(content) > MAX_CONTENT:
        errors["content"] = [_("Keep it under %(n)d characters.") % {"n": MAX_CONTENT}]
    contact_name = (contact_name or "").strip()
    if len(contact_name) > 50:
        errors["contact_name"] = [_("The name is too long.")]
    phone = ""
    if (contact_phone or "").strip():
        try:
            phone = clean_phone(contact_phone)
        except ValidationError as exc:
            errors["contact_phone"] = exc.messages
    try:
        photos = clean_photos(photos)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    check_digits = phone[-4:] if phone else "".join(secrets.choice("0123456789") for _ in range(4))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                opinion = Opinion.objects.create(
                    station=station,
                    deputy=deputy,
                    source="public",
                    category=category,
                    content=content,
                    received_on=clock.today(),
                    tracking_code=_new_code(),
                    check_digits=check_digits,
                    contact_name=contact_name,
                    contact_phone=phone,
                )
                for photo in photos:
                    OpinionPhoto.objects.create(opinion=opinion, image=photo)
                OpinionEvent.objects.create(opinion=opinion, kind=OpinionEventKind.RECEIVED)
            break
        except IntegrityError:  # a tracking-code collision: 31^10 codes, so practically never twice
            continue
    else:  # pragma: no cover - would need five collisions in a row
        raise ValidationError({"non_field_errors": [_("Please try again.")]})
    return Submission(
        tracking_code=opinion.tracking_code, check_digits="" if phone else check_digits, opinion_id=opinion.pk
    )


def normalise_code(code: str) -> str:
    """The code as stored, however it was typed: any case, with or without dashes or spaces, full-width
    characters from a Chinese keyboard (``ｋ７ｍ－４ｑｘ``) included. A nine-character code gets its
    dashes back; an older ten-character code has none."""
    text = unicodedata.normalize("NFKC", code or "").upper()
    raw = "".join(ch for ch in text if ch.isalnum())
    return format_code(raw) if len(raw) == CODE_LENGTH else raw


def public_opinion_lookup(*, tracking_code: str, check_digits: str) -> Opinion | None:
    """The public opinion with this code if the four digits match; ``None`` otherwise (same for both)."""
    code = normalise_code(tracking_code)
    digits = unicodedata.normalize("NFKC", check_digits or "").strip()
    if not code or len(digits) != 4 or not digits.isdigit():
        return None
    opinion = (
        Opinion.objects.filter(tracking_code=code, source="public")
        .select_related("referral_unit")
        .prefetch_related("referral_feedback")
        .first()
    )
    if opinion is None or not secrets.compare_digest(opinion.check_digits, digits):
        return None
    return opinion


def public_status(opinion: Opinion) -> dict:
    """What the constituent may see: progress, outcome and replies, nothing personal."""
    if opinion.resolved_at:
        status, label = "resolved", _("Resolved")
    elif opinion.outcome:
        status, label = "handled", _("Handled")
    else:
        status, label = "received", _("Received, waiting to be handled")
    replies = []
    if opinion.outcome and opinion.outcome_note:
        replies.append(
            {"date": timezone.localtime(opinion.outcome_at).date().isoformat(), "text": opinion.outcome_note}
        )
    if opinion.outcome == OpinionOutcome.REFERRED:
        replies.extend(
            {"date": timezone.localtime(f.created_at).date().isoformat(), "text": f.content}
            for f in opinion.referral_feedback.all()
        )
    if opinion.resolved_at:
        replies.append(
            {"date": timezone.localtime(opinion.resolved_at).date().isoformat(), "text": opinion.resolution_note}
        )
    return {
        "tracking_code": opinion.tracking_code,
        "timeline": public_timeline(opinion),
        "received_on": opinion.received_on.isoformat(),
        "category": opinion.category,
        "category_label": str(opinion.get_category_display()),
        "status": status,
        "status_label": str(label),
        "outcome": opinion.outcome,
        "outcome_label": str(opinion.get_outcome_display()) if opinion.outcome else "",
        "referred_to": opinion.referral_unit.name if opinion.referral_unit_id else "",
        "resolved": opinion.resolved_at is not None,
        "resolved_on": timezone.localtime(opinion.resolved_at).date().isoformat() if opinion.resolved_at else None,
        "reply": replies[-1]["text"] if replies else "",
        "replies": replies,
    }


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


def _outcome_words(opinion: Opinion) -> str:
    if opinion.outcome == OpinionOutcome.REFERRED:
        if opinion.referral_unit_id:
            return _("Passed on to %(unit)s to handle") % {"unit": opinion.referral_unit.name}
        return _("Passed on to the responsible unit to handle")
    return {
        OpinionOutcome.ANSWERED_ON_SITE: _("Answered by the station"),
        OpinionOutcome.ESCALATED: _("Taken up by a deputy as a suggestion to the people's congress"),
        OpinionOutcome.FILED: _("Kept on record for reference"),
    }.get(opinion.outcome, "")


def public_timeline(opinion: Opinion) -> list[dict]:
    """The opinion's progress in plain words, oldest first: received → passed on / answered → resolved.

    Each step: ``step`` (received, handled, reply, resolved), ``title``, ``text``, ``date`` (or None)
    and ``done``; the steps not reached yet are listed as waiting, so the constituent sees what
    comes next. Nothing personal and no staff names.
    """
    steps = [
        {
            "step": "received",
            "title": str(_("We received your opinion")),
            "text": str(_("The station recorded it and will deal with it.")),
            "date": opinion.received_on.isoformat(),
            "done": True,
        }
    ]
    if opinion.outcome:
        steps.append(
            {
                "step": "handled",
                "title": str(_outcome_words(opinion)),
                "text": opinion.outcome_note,
                "date": _day(opinion.outcome_at) if opinion.outcome_at else None,
                "done": True,
            }
        )
        if opinion.outcome == OpinionOutcome.REFERRED:
            steps.extend(
                {
                    "step": "reply",
                    "title": str(_("Reply from the unit handling it")),
                    "text": feedback.content,
                    "date": _day(feedback.created_at),
                    "done": True,
                }
                for feedback in opinion.referral_feedback.all()
            )
    else:
        steps.append(
            {
                "step": "handled",
                "title": str(_("Waiting to be handled")),
                "text": str(
                    _("The station answers it, passes it on to the unit responsible, or a deputy takes it up.")
                ),
                "date": None,
                "done": False,
            }
        )
    if opinion.resolved_at:
        steps.append(
            {
                "step": "resolved",
                "title": str(_("Resolved")),
                "text": opinion.resolution_note,
                "date": _day(opinion.resolved_at),
                "done": True,
            }
        )
    else:
        steps.append(
            {
                "step": "resolved",
                "title": str(_("Not resolved yet")),
                "text": str(_("You will see here when the matter is resolved.")),
                "date": None,
                "done": False,
            }
        )
    return steps


# --- The tracking code by SMS ------------------------------------------------------------------


@transaction.atomic
def public_tracking_sms_request(*, opinion_id: int) -> Opinion:
    """Send a public opinion's tracking code to the phone its sender left, through the SMS channel.

    Refused (``ActionRefused``) when no phone was left or the code was already sent
    ``SMS_PER_OPINION`` times. Each request is logged in the opinion's history (masked phone) and
    the message is queued after commit (``SMS_TASK``, which reads the phone again by id and claims the
    request's history row, so that the message goes out once however often the task runs).
    """
    opinion = Opinion.objects.select_for_update().filter(pk=opinion_id, source="public").first()
    if opinion is None or not opinion.contact_phone:
        raise ActionRefused(_("No phone number was left with this opinion."), code="no_phone")
    if opinion.events.filter(kind=OpinionEventKind.SMS).count() >= SMS_PER_OPINION:
        raise ActionRefused(_("The code was already sent to this phone."), code="sms_limit")
    event = OpinionEvent.objects.create(
        opinion=opinion,
        kind=OpinionEventKind.SMS,
        note=_("Tracking code sent to %(phone)s at the sender's request.")
        % {"phone": mask_phone(opinion.contact_phone)},
    )
    logger.info("Tracking code SMS queued for opinion %s (%s)", opinion.pk, mask_phone(opinion.contact_phone))
    enqueue_on_commit(SMS_TASK, opinion.pk, event.pk)
    return opinion


def tracking_sms_claim(*, opinion_id: int, event_id: int) -> bool:
    """Claim the sending of one requested tracking-code SMS; False when another run already sent it."""
    return (
        OpinionEvent.objects.filter(
            id=event_id, opinion_id=opinion_id, kind=OpinionEventKind.SMS, sent_at__isnull=True
        ).update(sent_at=clock.now())
        == 1
    )


def tracking_sms_text(opinion: Opinion) -> str:
    return _(
        "[Deputy Liaison Station] Your opinion's tracking code is %(code)s. Check its progress with this code "
        "and the last four digits of your phone."
    ) % {"code": opinion.tracking_code}
