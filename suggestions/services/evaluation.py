"""评: the lead deputy rates the reply; 不满意 on the first reply sends it back for re-handling."""

from django.db import transaction

from suggestions import deadlines
from suggestions.models import (
    Action,
    Evaluation,
    Rating,
    State,
    Suggestion,
)
from suggestions.notices import evaluation as notices
from suggestions.services.common import (
    begin_dated,
    clean_choice,
    record,
)


@transaction.atomic
def suggestion_evaluate(
    *, suggestion: Suggestion, actor, rating: str, comment: str = "", happened_on=None
) -> Evaluation:
    """评: the lead deputy rates the latest reply. 不满意 on the first reply sends it back for re-handling
    (second reply due in 1 month); any other rating, and any rating of the second reply, closes it."""
    suggestion, _actors, when = begin_dated(suggestion, Action.EVALUATE, actor, happened_on)
    rating = clean_choice(rating, Rating, "rating")
    reply = suggestion.replies.get(round=suggestion.reply_round)
    is_first = reply.round == 1
    rehandle = is_first and rating == Rating.UNSATISFIED
    evaluation = Evaluation.objects.create(
        suggestion=suggestion,
        reply=reply,
        rating=rating,
        comment=(comment or "").strip(),
        is_first=is_first,
        is_final=not rehandle,
        evaluated_by=actor,
        evaluated_at=when.at,
    )
    from_state = suggestion.state
    if is_first:
        suggestion.first_rating = rating
    if rehandle:
        suggestion.state = State.REHANDLING
        suggestion.reply_due = deadlines.rereply_due(when.day)
    else:
        suggestion.state = State.CLOSED
        suggestion.final_rating = rating
        suggestion.closed_at = when.at
    suggestion.save()
    data = {"rating": rating, "round": reply.round}
    if rehandle:
        data["reply_due"] = suggestion.reply_due.isoformat()
    record(
        suggestion,
        actor=actor,
        action=Action.EVALUATE,
        from_state=from_state,
        note=evaluation.comment,
        data=data,
        when=when,
    )
    if not when.back_recorded:  # a step of the past is not news
        notices.evaluated(suggestion, actor=actor, rating=rating, comment=evaluation.comment)
    return evaluation
