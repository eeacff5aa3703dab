"""What the page says after a suggestion action succeeded: a sentence naming what happens next.

``confirmation(action, suggestion)`` reads the suggestion as the service left it (its new state), so
"submitted" and "submitted, waiting for co-signers" or a reply that closes the matter read differently.
"""

from django.utils.translation import gettext as _

from suggestions.models import Action, State


def confirmation(action: str, suggestion) -> str:
    state = suggestion.state
    unit = suggestion.lead_unit.name if suggestion.lead_unit_id else ""
    sentences = {
        Action.SUBMIT: _("The suggestion is submitted and waits for the office to assign it."),
        Action.RESUBMIT: _("The suggestion is submitted again and waits for the office to assign it."),
        Action.COSIGN: _("Your answer to the co-sign invitation is recorded."),
        Action.WITHDRAW: _("The suggestion is withdrawn; nobody will handle it."),
        Action.RETURN: _("The suggestion is returned to the deputy to revise and submit again."),
        Action.ASSIGN: _("The suggestion is assigned to %(unit)s, which now handles it.") % {"unit": unit},
        Action.REQUEST_RETURN: _("Your request to return the suggestion is sent to the office for a decision."),
        Action.DECIDE_RETURN: _("The decision on the return request is recorded."),
        Action.ACKNOWLEDGE: _("The suggestion is acknowledged; your unit is handling it."),
        Action.CO_UNIT_OPINION: _("Your unit's opinion is sent to the lead unit."),
        Action.RECORD_CONTACT: _("The contact with the deputy is recorded."),
        Action.REPLY: _("The reply is sent; the deputy will evaluate it."),
        Action.EVALUATE: _("Your evaluation is recorded; the suggestion is closed.")
        if state == State.CLOSED
        else _("Your evaluation is recorded; the unit will handle the suggestion again."),
        Action.EXTEND: _("The request for more time is sent to the office for a decision."),
        Action.DECIDE_EXTENSION: _("The decision on the extension is recorded."),
        Action.SUPERVISE: _("The supervision note is saved."),
        Action.FOLLOW_UP: _("The follow-up progress is recorded."),
    }
    return sentences.get(action, _("Done: %(action)s.") % {"action": Action(action).label})
