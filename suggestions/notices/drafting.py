"""提, before submission: co-sign invitations and answers, a draft prepared for a deputy."""

from django.utils.translation import gettext as _

from suggestions import recipients
from suggestions.notices.base import Notice, in_site_language, lead_deputy, send


@in_site_language
def cosign_invited(suggestion, *, actor, deputy_ids) -> None:
    if not deputy_ids:
        return
    send(
        suggestion,
        event="cosign_invited",
        actor=actor,
        notices=[
            Notice(
                recipients.accounts_of(*deputy_ids),
                _("Please confirm or decline co-signing: %(title)s") % {"title": suggestion.title},
                _("%(deputy)s invites you to co-sign this suggestion; it can be submitted once you answer.")
                % {"deputy": suggestion.lead_deputy.name},
            )
        ],
    )


@in_site_language
def drafted_for_deputy(suggestion, *, actor) -> None:
    send(
        suggestion,
        event="drafted",
        actor=actor,
        notices=[
            Notice(
                lead_deputy(suggestion),
                _("A draft suggestion was prepared for you: %(title)s") % {"title": suggestion.title},
                _("It was drafted from a constituent opinion. Review and edit it, then submit it or withdraw it."),
            )
        ],
    )


@in_site_language
def cosign_answered(suggestion, *, actor, deputy_name: str, accepted: bool) -> None:
    if accepted:
        title = _("%(deputy)s confirmed co-signing: %(title)s")
    else:
        title = _("%(deputy)s declined co-signing: %(title)s")
    send(
        suggestion,
        event="cosign_answered",
        actor=actor,
        notices=[
            Notice(
                lead_deputy(suggestion),
                title % {"deputy": deputy_name, "title": suggestion.title},
                _("You can submit the suggestion once every co-signer has answered."),
            )
        ],
    )
