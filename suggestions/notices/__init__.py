"""What people hear when a suggestion moves on.

Each lifecycle service calls the notice of its action once the change and its event are recorded.
A notice tells whoever must act next, or is waiting on the outcome, what happened and what to do,
with a link to the suggestion:

=====================================  ===========================================================
event                                  who hears
=====================================  ===========================================================
co-sign invitation                     the invited deputies
draft prepared from an opinion         the lead deputy
co-sign answered                       the lead deputy
submitted, resubmitted                 the office
returned by the office                 the lead deputy
withdrawn                              the office (once it was submitted), the assigned units'
                                       officers, co-signers who had not declined
assigned (交办)                         the lead unit's and the co-units' officers, the lead deputy
return requested                       the office
return decided                         the requesting unit's officers (every assigned unit's when
                                       the whole item is taken back)
co-unit opinion                        the lead unit's officers
replied                                the lead deputy
rated unsatisfied (re-handling)        the lead unit's officers
closed                                 the lead unit's officers, the co-signers who confirmed
extension requested                    the office
extended by the office                 the lead unit's officers, the lead deputy
extension decided                      the lead unit's officers; the lead deputy when approved
supervision note, key supervision      the office while unassigned, the lead unit's officers while
                                       a reply is owed
follow-up reported solved              the lead deputy
deadline recounted on the official     the office (assignment), the assigned units' officers
calendar                               (return requests)
=====================================  ===========================================================

Acknowledging receipt and recording a contact notify nobody: nobody has to act on them.

The notifications are written in the action's transaction (``notifications.services.notify_each``):
if the action rolls back nobody was notified, and e-mail or SMS go out only after commit. The actor
never hears about their own action; someone in two groups gets the first group's message only.
Like the reminders they are written in the site's language, whoever acted. Queries: one per group
of recipients looked up (``suggestions.recipients``) + 3 to write them, whatever their number.

One module per part of the life of a suggestion, as in ``suggestions.services``: ``drafting``,
``submission`` (submission and assignment), ``handling``, ``supervision``, ``evaluation`` and
``calendar``; ``base`` writes and sends. Import from the module itself, e.g.
``from suggestions.notices import handling``.
"""
