"""Personal information (PIPL): masking, logged reveals and logged exports.

Phones are masked everywhere by default (lists, detail pages, exports, the API). Who
may reveal one in full is decided by ``access.can_reveal_contact``; every reveal and
every export of personal data writes a ``PersonalDataAccess`` row, kept at least six
months (nothing in the product deletes them).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.client_ip import client_ip as core_client_ip
from core.errors import PermissionRefused
from core.masking import mask_phone
from deputies.models import ConstituentLink
from duties.services.contacts import can_keep_contacts
from liaison.models import Opinion, PersonalDataAccess, PersonalDataAction, Visit
from organisation.access import can_reveal_contact


def mask_name(name: str | None) -> str:
    """``张三丰`` → ``张**``: the family name is enough to recognise a visitor in a list."""
    if not name:
        return ""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1)


def masked_contact(name: str, phone: str) -> dict:
    return {"name": mask_name(name), "phone": mask_phone(phone)}


def client_ip(request) -> str | None:
    """The address logged with an access: the client's, through the trusted proxies (core.client_ip)."""
    return (core_client_ip(request) or None) if request is not None else None


def _required_reason(reason: str) -> str:
    """Every reveal states why: a blank reason refuses the reveal and logs nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why you need the full contact details.")]})
    return reason[:200]


@transaction.atomic
def visit_contacts_reveal(*, visit: Visit, actor, reason: str, ip: str | None = None) -> list[dict]:
    """The visit's constituents in full, for a user entitled to them who says why; logged."""
    if not can_reveal_contact(actor, station_id=visit.station_id):
        raise PermissionRefused(_("You may not see constituents' full contact details."))
    reason = _required_reason(reason)
    people = [{"id": c.id, "name": c.name, "phone": c.phone} for c in visit.constituents.all()]
    PersonalDataAccess.objects.create(
        user=actor,
        action=PersonalDataAction.REVEAL,
        subject=_("Constituents of visit %(id)s (%(n)d)") % {"id": visit.id, "n": len(people)},
        object_type="visit",
        object_id=visit.id,
        reason=reason,
        ip_address=ip,
    )
    return people


@transaction.atomic
def opinion_contact_reveal(*, opinion: Opinion, actor, reason: str, ip: str | None = None) -> dict:
    """A public opinion's contact in full, for a user entitled to it who says why; logged."""
    if not can_reveal_contact(actor, station_id=opinion.station_id, referral_unit_id=opinion.referral_unit_id):
        raise PermissionRefused(_("You may not see constituents' full contact details."))
    reason = _required_reason(reason)
    PersonalDataAccess.objects.create(
        user=actor,
        action=PersonalDataAction.REVEAL,
        subject=_("Contact of opinion %(id)s") % {"id": opinion.id},
        object_type="opinion",
        object_id=opinion.id,
        reason=reason,
        ip_address=ip,
    )
    return {"name": opinion.contact_name, "phone": opinion.contact_phone}


@transaction.atomic
def constituent_link_reveal(*, link: ConstituentLink, actor, reason: str, ip: str | None = None) -> str:
    """A linked constituent's (双联) phone in full, for those who keep the deputy's links and say why; logged."""
    if not can_keep_contacts(actor, link.deputy):
        raise PermissionRefused(_("You may not see constituents' full contact details."))
    reason = _required_reason(reason)
    PersonalDataAccess.objects.create(
        user=actor,
        action=PersonalDataAction.REVEAL,
        subject=_("Phone of %(deputy)s's linked constituent %(id)s") % {"deputy": link.deputy.name, "id": link.id},
        object_type="constituent_link",
        object_id=link.id,
        reason=reason,
        ip_address=ip,
    )
    return link.phone


def personal_data_export_log(*, actor, subject: str, object_type: str, ip: str | None = None) -> PersonalDataAccess:
    """Log an export that carries (masked) personal data: who exported what, when."""
    return PersonalDataAccess.objects.create(
        user=actor,
        action=PersonalDataAction.EXPORT,
        subject=subject[:200],
        object_type=object_type,
        ip_address=ip,
    )
