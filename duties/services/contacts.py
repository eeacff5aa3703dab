"""双联 contact work of a deputy: their linked constituents and the contacts they make with voters.

A deputy keeps in regular contact with at least five constituents and contacts voters at
least ten times a year (docs/domain.md). The deputy records their own; station staff record
for the deputies of their stations (resident there, or assigned to one of its grids); the
office and administrators for anyone. Leaders read.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.dates import EARLIEST_EVENT_YEAR
from core.errors import PermissionRefused
from core.roles import Role
from core.text import clean_phone
from core.writes import check_fields, save_instance
from deputies.models import ConstituentLink, Deputy
from deputies.selectors import deputies_visible_to
from duties.models import VoterContact, VoterContactWay
from organisation.access import DESK_EVERYWHERE

# Contacts older than this are not plausible records of the deputy's work.
EARLIEST_CONTACT = date(EARLIEST_EVENT_YEAR, 1, 1)
MAX_NOTE = 2000


def can_keep_contacts(user, deputy: Deputy) -> bool:
    """May record contacts and linked constituents for ``deputy``. At most one query (station staff)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.has_role(Role.DEPUTY):
        return user.deputy_id == deputy.id
    if user.has_role(*DESK_EVERYWHERE):
        return True
    if user.has_role(Role.STATION_STAFF):
        return deputies_visible_to(user).filter(id=deputy.id).exists()
    return False


def _require_keeper(actor, deputy: Deputy) -> None:
    if not can_keep_contacts(actor, deputy):
        raise PermissionRefused(_("You may record contacts only for yourself or for the deputies of your stations."))


# What a contact's record consists of; ``voter_contact_update`` changes any of them.
CONTACT_FIELDS = ("date", "way", "subject", "people", "constituent", "note")


def _clean_contact(contact: VoterContact, today: date) -> None:
    """Check a contact as a whole; ``ValidationError`` (field → messages) lists every problem at once."""
    errors: dict[str, list[str]] = {}
    if contact.way not in VoterContactWay.values:
        errors["way"] = [_("Choose how the voters were contacted.")]
    if contact.date is None:
        errors["date"] = [_("Enter the date.")]
    elif contact.date > today:
        errors["date"] = [_("The date cannot be in the future.")]
    elif contact.date < EARLIEST_CONTACT:
        errors["date"] = [_("Enter a date after %(date)s.") % {"date": EARLIEST_CONTACT.isoformat()}]
    contact.subject = (contact.subject or "").strip()
    if not contact.subject:
        errors["subject"] = [_("Say briefly what the contact was about.")]
    if contact.people is None or not 1 <= contact.people <= 500:
        errors["people"] = [_("Enter between 1 and 500 people.")]
    if contact.constituent is not None and contact.constituent.deputy_id != contact.deputy_id:
        errors["constituent"] = [_("This constituent is not linked to the deputy.")]
    contact.note = (contact.note or "").strip()
    if len(contact.note) > MAX_NOTE:
        errors["note"] = [_("Keep it under %(n)d characters.") % {"n": MAX_NOTE}]
    if errors:
        raise ValidationError(errors)
    check_fields(contact)


@transaction.atomic
def voter_contact_record(
    *,
    deputy: Deputy,
    date: date,
    way: str,
    subject: str,
    actor,
    people: int = 1,
    constituent: ConstituentLink | None = None,
    note: str = "",
) -> VoterContact:
    """Record one contact of ``deputy`` with voters. Raises ``ValidationError`` (nothing written) on bad input."""
    _require_keeper(actor, deputy)
    contact = VoterContact(
        deputy=deputy,
        date=date,
        way=way,
        subject=subject,
        people=people,
        constituent=constituent,
        note=note,
        recorded_by=actor,
    )
    _clean_contact(contact, clock.today())
    save_instance(contact)
    return contact


@transaction.atomic
def voter_contact_update(*, contact: VoterContact, actor, **fields) -> VoterContact:
    """Correct a recorded contact (the same people who may record it); the deputy and the recorder stay."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"voter_contact_update() got unexpected fields: {sorted(unknown)}")
    contact = VoterContact.objects.select_for_update().select_related("deputy").get(pk=contact.pk)
    _require_keeper(actor, contact.deputy)
    for field, value in fields.items():
        setattr(contact, field, value)
    _clean_contact(contact, clock.today())
    save_instance(contact)
    return contact


@transaction.atomic
def voter_contact_delete(*, contact: VoterContact, actor) -> None:
    """Remove a contact recorded by mistake (the same people who may record it)."""
    _require_keeper(actor, contact.deputy)
    contact.delete()


@transaction.atomic
def constituent_link_add(
    *, deputy: Deputy, name: str, actor, phone: str = "", address: str = "", since: date | None = None
) -> ConstituentLink:
    """Link a constituent to ``deputy`` (双联); the same name and phone twice is refused."""
    _require_keeper(actor, deputy)
    link = ConstituentLink(
        deputy=deputy, name=(name or "").strip(), phone="", address=(address or "").strip(), since=since
    )
    errors: dict[str, list[str]] = {}
    if not link.name:
        errors["name"] = [_("Enter the constituent's name.")]
    if (phone or "").strip():
        try:
            link.phone = clean_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if since and since > clock.today():
        errors["since"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    if ConstituentLink.objects.filter(deputy=deputy, name=link.name, phone=link.phone).exists():
        raise ValidationError({"name": [_("This constituent is already linked to the deputy.")]})
    check_fields(link)
    save_instance(link)
    return link


@transaction.atomic
def constituent_link_remove(*, link: ConstituentLink, actor) -> None:
    """Unlink a constituent; contacts recorded with them stay, without the link."""
    _require_keeper(actor, link.deputy)
    link.delete()
