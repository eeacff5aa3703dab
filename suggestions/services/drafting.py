"""提, before submission: a deputy drafts (or a constituent opinion is turned into a draft), edits,
and the invited co-signers answer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from core.uploads import display_name
from deputies.selectors import deputies_visible_to
from liaison.services.opinions import opinion_mark_escalated
from notifications.services import notifications_unlink
from suggestions.models import (
    CONTENT_MAX_LENGTH,
    Action,
    Attachment,
    Category,
    CoSignature,
    CoSignStatus,
    State,
    Suggestion,
)
from suggestions.notices import drafting as notices
from suggestions.services.common import (
    back_record_when,
    begin,
    begin_dated,
    clean_choice,
    clean_text,
    clean_upload,
    record,
)
from suggestions.services.submission import suggestion_submit

TITLE_MAX = 200


def _clean_cosigners(cosigners, lead_deputy) -> list:
    result, seen = [], set()
    for deputy in cosigners or ():
        if deputy.pk == lead_deputy.pk:
            raise ValidationError({"cosigners": _("The lead deputy cannot also co-sign.")})
        if not deputy.is_active:
            raise ValidationError({"cosigners": _("%(name)s is no longer an active deputy.") % {"name": deputy}})
        if deputy.pk not in seen:
            seen.add(deputy.pk)
            result.append(deputy)
    return result


def _clean_draft_fields(*, title, content, category) -> tuple[str, str, str]:
    title = clean_text(title, "title", _("Give the suggestion a title."), max_length=TITLE_MAX)
    content = clean_text(content, "content", _("Write the content of the suggestion."), max_length=CONTENT_MAX_LENGTH)
    category = clean_choice(category or Category.OTHER, Category, "category")
    return title, content, category


def _add_attachments(suggestion, files, actor) -> list[str]:
    names = []
    cleaned = [(display_name(upload), clean_upload(upload, "attachments")) for upload in files or ()]
    for name, stored in cleaned:
        attachment = Attachment(suggestion=suggestion, file=stored, name=name, uploaded_by=actor)
        attachment.save()
        names.append(attachment.name)
    return names


@transaction.atomic
def suggestion_create(
    *,
    actor,
    title: str,
    content: str,
    category: str = Category.OTHER,
    cosigners=(),
    attachments=(),
    lead_deputy=None,
    happened_on=None,
) -> Suggestion:
    """A deputy drafts a suggestion; invited co-signers must confirm before it can be submitted.

    ``lead_deputy`` defaults to the actor's own deputy record; only a deputy may draft for themselves
    (drafts from opinions go through ``suggestion_create_from_opinion``).

    With ``happened_on`` the office (or station staff, for a deputy of their stations) records a
    suggestion submitted in the past (补录): it is drafted for ``lead_deputy`` and submitted on that date
    in one step, the listed co-signers as having confirmed; its later steps are recorded the same way.
    """
    if happened_on is not None:
        return _record_past(
            actor=actor,
            lead_deputy=lead_deputy,
            title=title,
            content=content,
            category=category,
            cosigners=cosigners,
            attachments=attachments,
            happened_on=happened_on,
        )
    if not actor.has_role(Role.DEPUTY) or not actor.deputy_id:
        raise PermissionRefused(_("Only a deputy can draft a suggestion."))
    if lead_deputy is not None and lead_deputy.pk != actor.deputy_id:
        raise PermissionRefused(_("A deputy drafts suggestions in their own name only."))
    return _create_draft(
        actor=actor,
        lead_deputy=actor.deputy,
        title=title,
        content=content,
        category=category,
        cosigners=cosigners,
        attachments=attachments,
    )


def _record_past(*, actor, lead_deputy, title, content, category, cosigners, attachments, happened_on):
    if lead_deputy is None:
        raise ValidationError({"lead_deputy": _("Choose the lead deputy.")})
    # Who may and the date, checked before anything is written.
    when = back_record_when(Suggestion(lead_deputy=lead_deputy), actor, happened_on)
    suggestion = _create_draft(
        actor=actor,
        lead_deputy=lead_deputy,
        title=title,
        content=content,
        category=category,
        cosigners=cosigners,
        attachments=attachments,
        when=when,
    )
    # The submission service applies the rules of submitting (and dates the office's clock).
    return suggestion_submit(suggestion=suggestion, actor=actor, happened_on=happened_on)


def _create_draft(
    *, actor, lead_deputy, title, content, category, cosigners=(), attachments=(), note="", extra=None, when=None
):
    title, content, category = _clean_draft_fields(title=title, content=content, category=category)
    cosigners = _clean_cosigners(cosigners, lead_deputy)
    suggestion = Suggestion.objects.create(
        lead_deputy=lead_deputy, created_by=actor, title=title, content=content, category=category
    )
    back_recorded = when is not None and when.back_recorded
    CoSignature.objects.bulk_create(
        [
            CoSignature(suggestion=suggestion, deputy=d)
            if not back_recorded
            else CoSignature(suggestion=suggestion, deputy=d, status=CoSignStatus.CONFIRMED, responded_at=when.at)
            for d in cosigners
        ]
    )
    names = _add_attachments(suggestion, attachments, actor)
    record(
        suggestion,
        actor=actor,
        action=Action.CREATE,
        from_state="",
        note=note,
        data={"cosigners": [d.name for d in cosigners], "attachments": names, **(extra or {})},
        when=when,
    )
    if not back_recorded:
        notices.cosign_invited(suggestion, actor=actor, deputy_ids=[d.pk for d in cosigners])
    return suggestion


@transaction.atomic
def suggestion_update(
    *,
    suggestion: Suggestion,
    actor,
    title=None,
    content=None,
    category=None,
    cosigners=None,
    attachments=(),
    remove_attachments=(),
) -> Suggestion:
    """The lead deputy edits a draft or a returned suggestion. ``cosigners`` (if given) is the new full list:
    co-signers kept keep their answer, new ones are invited, dropped ones are removed."""
    suggestion, _actors = begin(suggestion, Action.UPDATE, actor)
    changed = []
    new_title, new_content, new_category = _clean_draft_fields(
        title=suggestion.title if title is None else title,
        content=suggestion.content if content is None else content,
        category=suggestion.category if category is None else category,
    )
    for field, value in (("title", new_title), ("content", new_content), ("category", new_category)):
        if getattr(suggestion, field) != value:
            setattr(suggestion, field, value)
            changed.append(field)
    if cosigners is not None:
        wanted = {d.pk: d for d in _clean_cosigners(cosigners, suggestion.lead_deputy)}
        existing = {c.deputy_id: c for c in suggestion.cosignatures.all()}
        removed = [pk for pk in existing if pk not in wanted]
        if removed:
            suggestion.cosignatures.filter(deputy_id__in=removed).delete()
        added = [CoSignature(suggestion=suggestion, deputy=d) for pk, d in wanted.items() if pk not in existing]
        CoSignature.objects.bulk_create(added)
        if removed or added:
            changed.append("cosigners")
    if remove_attachments:
        deleted, _rows = suggestion.attachments.filter(pk__in=[a.pk for a in remove_attachments]).delete()
        if deleted:
            changed.append("attachments")
    if _add_attachments(suggestion, attachments, actor):
        changed.append("attachments")
    suggestion.save()
    record(suggestion, actor=actor, action=Action.UPDATE, from_state=suggestion.state, data={"changed": changed})
    if cosigners is not None:
        notices.cosign_invited(suggestion, actor=actor, deputy_ids=[c.deputy_id for c in added])
    return suggestion


@transaction.atomic
def suggestion_cosign(*, suggestion: Suggestion, actor, accept: bool, deputy=None, happened_on=None) -> Suggestion:
    """An invited co-signer confirms (附议) or declines; they may change their answer until submission.

    With ``happened_on`` the office or station staff record a co-signer's past answer for them (``deputy``,
    which may be left out when one co-signer is invited)."""
    suggestion, _actors, when = begin_dated(suggestion, Action.COSIGN, actor, happened_on)
    signature = _answering_signature(suggestion, actor, deputy, back_recorded=when.back_recorded)
    signature.status = CoSignStatus.CONFIRMED if accept else CoSignStatus.DECLINED
    signature.responded_at = when.at
    signature.save(update_fields=["status", "responded_at"])
    name = signature.deputy.name
    record(
        suggestion,
        actor=actor,
        action=Action.COSIGN,
        from_state=suggestion.state,
        data={"deputy": name, "accepted": bool(accept)},
        when=when,
    )
    if not when.back_recorded:  # a step of the past is not news
        notices.cosign_answered(suggestion, actor=actor, deputy_name=name, accepted=bool(accept))
    return suggestion


def _answering_signature(suggestion, actor, deputy, *, back_recorded: bool) -> CoSignature:
    """The invitation being answered: the actor's own, or for an answer recorded afterwards the named
    co-signer's (the only one when there is one)."""
    signatures = suggestion.cosignatures.select_for_update(of=("self",)).select_related("deputy")
    if not back_recorded:
        if deputy is not None and deputy.pk != actor.deputy_id:
            raise ValidationError({"deputy": _("Only an answer recorded afterwards names the co-signer.")})
        return signatures.get(deputy_id=actor.deputy_id)
    candidates = list(signatures if deputy is None else signatures.filter(deputy_id=deputy.pk))
    if len(candidates) != 1:
        raise ValidationError({"deputy": _("Choose the co-signer, one of those invited to this suggestion.")})
    return candidates[0]


# --- Escalation from a constituent opinion -----------------------------------------------------


@transaction.atomic
def suggestion_create_from_opinion(*, opinion, deputy, actor, title: str = "", happened_on=None) -> Suggestion:
    """形成意见建议: turn a constituent opinion into a draft suggestion for the chosen deputy.

    The opinion gets the outcome "escalated" through the liaison service (which checks that the actor
    may triage it and that it has no other outcome), and the two are linked both ways
    (``suggestion.source_opinions`` / ``opinion.suggestions``). The draft belongs to the deputy, who
    edits and submits it; a deputy escalating an opinion drafts in their own name only.

    With ``happened_on`` (补录) the office or the station's staff record an escalation of the past: the
    opinion's outcome is dated that day, and the suggestion is recorded as formed and submitted that day,
    like any suggestion recorded afterwards (its later steps are back-recorded the same way).
    """
    if not actor.has_role(Role.STATION_STAFF, Role.OFFICE, Role.DEPUTY):
        raise PermissionRefused(_("Only station staff, the office or a deputy can turn an opinion into a suggestion."))
    if deputy is None:
        raise ValidationError({"deputy": _("Choose the deputy who will raise the suggestion.")})
    if actor.has_role(Role.DEPUTY) and deputy.pk != actor.deputy_id:
        raise PermissionRefused(_("A deputy drafts suggestions in their own name only."))
    if not deputy.is_active:
        raise ValidationError({"deputy": _("%(name)s is no longer an active deputy.") % {"name": deputy}})
    title = (title or "").strip() or opinion.content.strip().splitlines()[0][:60]
    note = _("Drafted as a suggestion: %(title)s") % {"title": title}
    # 补录: who may record it and its date, checked before anything is written.
    when = back_record_when(Suggestion(lead_deputy=deputy), actor, happened_on) if happened_on is not None else None
    # Checks who may triage this opinion (403) and that it has no other outcome (409) first.
    opinion_mark_escalated(opinion=opinion, actor=actor, note=note, happened_on=happened_on)
    if actor.has_role(Role.STATION_STAFF) and not deputies_visible_to(actor).filter(pk=deputy.pk).exists():
        raise ValidationError({"deputy": _("Choose a deputy of your stations.")})
    suggestion = _create_draft(
        actor=actor,
        lead_deputy=deputy,
        title=title,
        content=opinion.content,
        category=opinion.category if opinion.category in Category.values else Category.OTHER,
        note=_("Drafted from a constituent opinion."),
        extra={"opinion": opinion.pk},
        when=when,
    )
    suggestion.source_opinions.add(opinion)
    if when is not None:
        return suggestion_submit(suggestion=suggestion, actor=actor, happened_on=happened_on)
    notices.drafted_for_deputy(suggestion, actor=actor)
    return suggestion


@transaction.atomic
def suggestion_draft_delete(*, suggestion: Suggestion, actor) -> None:
    """The lead deputy deletes a draft that was never submitted, with its co-sign invitations, attachments
    (their files too, once committed) and history.

    Who may is who may edit the draft. A returned suggestion was submitted once and a draft formed from
    constituents' opinions answers them: both are withdrawn in writing instead (409 here).
    """
    not_a_draft = ActionRefused(
        _("Only a draft that was never submitted can be deleted; withdraw it in writing instead."), code="not_a_draft"
    )
    try:
        locked, _actors = begin(suggestion, Action.UPDATE, actor)
    except ActionRefused:
        raise not_a_draft from None
    if locked.state != State.DRAFT:
        raise not_a_draft
    if locked.source_opinions.exists():
        raise ActionRefused(
            _("This draft answers constituents' opinions: withdraw it in writing instead of deleting it."),
            code="draft_from_opinions",
        )
    stored = [(item.file.storage, item.file.name) for item in locked.attachments.all() if item.file]
    notifications_unlink(target=locked)
    locked.delete()

    def _delete_files():
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(_delete_files)


@transaction.atomic
def suggestion_create_from_opinions(*, actor, deputy, title: str, content: str, category: str, opinions) -> Suggestion:
    """The office drafts a suggestion for a deputy from several opinions raising one problem (a hot topic).

    The opinions become the suggestion's sources; their own outcomes are left as they are (many were
    answered or referred one by one). The draft belongs to the deputy, who edits and submits it.
    """
    if not actor.has_role(Role.OFFICE):
        raise PermissionRefused(_("Only the suggestion office can draft a suggestion from a hot topic."))
    if deputy is None:
        raise ValidationError({"deputy": _("Choose the deputy who will raise the suggestion.")})
    if not deputy.is_active:
        raise ValidationError({"deputy": _("%(name)s is no longer an active deputy.") % {"name": deputy}})
    suggestion = _create_draft(
        actor=actor,
        lead_deputy=deputy,
        title=title,
        content=content,
        category=category if category in Category.values else Category.OTHER,
        note=_("Drafted from a hot topic."),
        extra={"opinions": [o.pk for o in opinions]},
    )
    suggestion.source_opinions.add(*opinions)
    notices.drafted_for_deputy(suggestion, actor=actor)
    return suggestion
