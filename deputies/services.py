"""Every change to deputies, their terms and their groups goes through these functions.

They take keyword-only arguments, run in one transaction and raise Django's
``ValidationError`` (field → messages, nothing written) on bad input, or
``ActionRefused`` when the rules forbid the change (e.g. deleting a deputy that
other records still refer to).
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from core.errors import ActionRefused
from core.uploads import clean_image
from deputies.models import Deputy, DeputyGroup, DeputyKind, Term

# Fields of a deputy that callers may set directly.
DEPUTY_FIELDS = (
    "name",
    "kind",
    "gender",
    "birth_year",
    "party",
    "occupation",
    "phone",
    "is_standing_committee",
    "is_active",
    "note",
    "photo",
    "introduction",
)
# A portrait for the public page: checked and re-encoded like every uploaded image.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
TERM_FIELDS = ("level", "congress", "constituency", "start_year", "end_year")
GROUP_FIELDS = ("name", "kind", "leader")


def _messages(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


def _validate_terms(*, kind: str, terms: list[Mapping]) -> None:
    """Check a deputy's set of terms as a whole before anything is written."""
    if kind == DeputyKind.DELIBERATION and terms:
        raise ValidationError(
            {"terms": _("A deliberation representative is appointed by the street and holds no congress term.")}
        )
    seen = set()
    errors = []
    for term in terms:
        key = (term.get("level"), term.get("start_year"))
        if key in seen:
            errors.append(_("This deputy already has a term at this level starting that year."))
        seen.add(key)
    if errors:
        raise ValidationError({"terms": errors})


def _save_terms(*, deputy: Deputy, terms: list[Mapping]) -> None:
    """Make ``deputy``'s terms exactly ``terms``, keeping the rows of terms that stay (same level and start)."""
    existing = {(term.level, term.start_year): term for term in deputy.terms.all()}
    wanted = set()
    errors = []
    for data in terms:
        unknown = set(data) - set(TERM_FIELDS)
        if unknown:
            raise ValueError(f"Unknown term fields: {sorted(unknown)}")
        key = (data.get("level"), data.get("start_year"))
        wanted.add(key)
        term = existing.get(key) or Term(deputy=deputy)
        for field in TERM_FIELDS:
            if field in data:
                setattr(term, field, data[field])
        if term.constituency is None:
            term.constituency = ""
        try:
            term.full_clean()
        except ValidationError as exc:
            errors.extend(_messages(exc))
            continue
        term.save()
    if errors:
        raise ValidationError({"terms": errors})
    for key, term in existing.items():
        if key not in wanted:
            term.delete()


def _clean_photo(fields: dict) -> None:
    """A new photo (an upload) is verified and re-encoded under a generated name; ``False`` (the admin's
    "clear" box) or None removes it; a stored file is kept as it is."""
    if "photo" not in fields:
        return
    photo = fields["photo"]
    if photo is False or photo is None:
        fields["photo"] = ""
    elif isinstance(photo, UploadedFile):
        fields["photo"] = clean_image(photo, field="photo", max_bytes=PHOTO_MAX_BYTES)


def _full_clean_deputy(deputy: Deputy | DeputyGroup) -> None:
    """``full_clean`` with model-wide errors reported under the API's ``non_field_errors`` key."""
    try:
        deputy.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict
        if NON_FIELD_ERRORS in errors:
            errors.setdefault("non_field_errors", []).extend(errors.pop(NON_FIELD_ERRORS))
        raise ValidationError(errors) from None


@transaction.atomic
def deputy_create(
    *,
    name: str,
    kind: str = DeputyKind.CONGRESS,
    terms: Iterable[Mapping] = (),
    groups: Iterable[DeputyGroup] = (),
    **fields,
) -> Deputy:
    """Record a deputy with their terms (one per level held) and group memberships.

    ``terms`` are mappings with ``level``, ``congress``, ``constituency``,
    ``start_year`` and ``end_year``; a deliberation representative has none.
    """
    unknown = set(fields) - set(DEPUTY_FIELDS)
    if unknown:
        raise TypeError(f"deputy_create() got unexpected fields: {sorted(unknown)}")
    terms = list(terms)
    _validate_terms(kind=kind, terms=terms)
    _clean_photo(fields)
    deputy = Deputy(name=name, kind=kind, **fields)
    _full_clean_deputy(deputy)
    deputy.save()
    _save_terms(deputy=deputy, terms=terms)
    deputy.groups.set(groups)
    return deputy


@transaction.atomic
def deputy_update(
    *,
    deputy: Deputy,
    terms: Iterable[Mapping] | None = None,
    groups: Iterable[DeputyGroup] | None = None,
    **fields,
) -> Deputy:
    """Change a deputy; ``terms`` and ``groups`` replace the current set when given (None leaves them)."""
    unknown = set(fields) - set(DEPUTY_FIELDS)
    if unknown:
        raise TypeError(f"deputy_update() got unexpected fields: {sorted(unknown)}")
    deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
    _clean_photo(fields)
    for field, value in fields.items():
        setattr(deputy, field, value)
    if terms is not None:
        terms = list(terms)
        _validate_terms(kind=deputy.kind, terms=terms)
    elif deputy.kind == DeputyKind.DELIBERATION and deputy.terms.exists():
        raise ValidationError(
            {"kind": _("Remove this deputy's congress terms before making them a deliberation representative.")}
        )
    if groups is not None:
        groups = list(groups)
        _keep_led_groups(deputy, groups)
    _full_clean_deputy(deputy)
    deputy.save()
    if terms is not None:
        _save_terms(deputy=deputy, terms=terms)
    if groups is not None:
        deputy.groups.set(groups)
    return deputy


def _keep_led_groups(deputy: Deputy, groups: list) -> None:
    """A group's leader stays one of its members: taking them out needs another leader first."""
    kept = {getattr(group, "pk", group) for group in groups}
    left = [group.name for group in DeputyGroup.objects.filter(leader=deputy).order_by("name") if group.pk not in kept]
    if left:
        raise ValidationError(
            {
                "groups": _("This deputy leads %(groups)s: choose another leader before taking them out.")
                % {"groups": "、".join(left)}
            }
        )


@transaction.atomic
def deputy_delete(*, deputy: Deputy) -> None:
    """Delete a deputy recorded by mistake; one that other records refer to is refused (deactivate it instead)."""
    deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
    try:
        with transaction.atomic():
            deputy.delete()
    except (ProtectedError, RestrictedError, IntegrityError):
        raise ActionRefused(
            _("This deputy is still referred to by other records (account, grid, visits …); deactivate them instead."),
            code="in_use",
        ) from None


@transaction.atomic
def deputy_group_create(
    *, name: str, kind: str, leader: Deputy | None = None, members: Iterable[Deputy] = ()
) -> DeputyGroup:
    """Create a deputy group (代表小组); the leader is made a member too."""
    group = DeputyGroup(name=name, kind=kind, leader=leader)
    group.full_clean()
    group.save()
    members = list(members)
    if leader is not None and leader not in members:
        members.append(leader)
    group.members.set(members)
    return group


@transaction.atomic
def deputy_group_update(*, group: DeputyGroup, members: Iterable[Deputy] | None = None, **fields) -> DeputyGroup:
    """Change a deputy group; ``members`` replaces the current set when given (None leaves it).

    The leader stays a member: a new leader, or a member list that leaves the leader out, has the
    leader added. Clearing ``leader`` keeps the former leader as a plain member.
    """
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"deputy_group_update() got unexpected fields: {sorted(unknown)}")
    group = DeputyGroup.objects.select_for_update().get(pk=group.pk)
    for field, value in fields.items():
        setattr(group, field, value)
    _full_clean_deputy(group)
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:
        # A concurrent change took the name between the check and the write.
        raise ValidationError(
            {"name": _("This change conflicts with another one made at the same time; please retry.")}
        ) from None
    if members is not None:
        members = list(members)
        if group.leader is not None and group.leader not in members:
            members.append(group.leader)
        group.members.set(members)
    elif group.leader is not None:
        group.members.add(group.leader)
    return group


@transaction.atomic
def deputy_set_resident_stations(*, deputy: Deputy, stations: Iterable) -> Deputy:
    """Make ``stations`` (stations or ids) the ones where the deputy is resident (进站), replacing the set."""
    deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
    deputy.resident_stations.set(stations)
    return deputy
