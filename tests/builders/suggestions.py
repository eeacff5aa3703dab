"""Suggestions in a given state, brought there through the services as their users would.

``w`` is a world (``tests.builders.streets.World``) or anything with its people and units.
"""

from datetime import timedelta

from django.utils import timezone

from suggestions import services
from suggestions.models import ReplyClass, State, Suggestion


# The path through the lifecycle to each state: (state reached, step to get there from the previous one).
def _draft(w, title="关于加装老旧小区电梯的建议"):
    return services.suggestion_create(
        actor=w.deputy,
        title=title,
        content="东片区多个老旧小区六层无电梯，老人上下楼困难，建议统筹加装。",
        category="urban_construction",
        cosigners=[w.cosigner_deputy],
    )


def drive(w, state: str, *, title: str = "关于加装老旧小区电梯的建议", reply_class: str = ReplyClass.A):
    """A suggestion by ``w.deputy`` brought to ``state`` through the services.

    ``rehandling`` is reached through a first 不满意; ``closed`` through a first 满意.
    """
    s = _draft(w, title)
    if state == State.DRAFT:
        return s
    services.suggestion_cosign(suggestion=s, actor=w.cosigner, accept=True)
    if state == State.WITHDRAWN:
        return services.suggestion_withdraw(suggestion=s, actor=w.deputy, reason="已通过其他渠道解决")
    s = services.suggestion_submit(suggestion=s, actor=w.deputy)
    if state == State.SUBMITTED:
        return s
    if state == State.RETURNED:
        return services.suggestion_return(suggestion=s, actor=w.office, reason="属个人诉求，不作为代表建议")
    s = services.suggestion_assign(suggestion=s, actor=w.office, lead_unit=w.lead_unit, co_units=[w.co_unit])
    if state == State.ASSIGNED:
        return s
    s = services.suggestion_acknowledge(suggestion=s, actor=w.lead_officer)
    if state == State.IN_PROGRESS:
        return s
    services.suggestion_reply(suggestion=s, actor=w.lead_officer, reply_class=reply_class, content="已列入今年计划。")
    s.refresh_from_db()
    if state == State.REPLIED:
        return s
    if state == State.REHANDLING:
        services.suggestion_evaluate(suggestion=s, actor=w.deputy, rating="unsatisfied", comment="答复不具体")
    else:
        services.suggestion_evaluate(suggestion=s, actor=w.deputy, rating="satisfied")
    s.refresh_from_db()
    assert s.state == state, (s.state, state)
    return s


def handled(
    w,
    *,
    deputy_user=None,
    unit=None,
    officer=None,
    title: str = "建议",
    content: str = "内容",
    category: str = "traffic",
    reply: bool = True,
    reply_class: str = ReplyClass.A,
    reply_content: str = "答复",
    late: bool = False,
    contacted: bool = False,
    first_rating: str | None = None,
    second_rating: str | None = None,
    second_reply_class: str | None = None,
    second_reply_content: str = "再次答复",
    second_contacted: bool = False,
):
    """One suggestion taken as far as asked: assigned to ``unit``, replied (late if asked), rated once,
    re-handled and rated again — all through the services (a late reply: its deadline is moved into the
    past first, as if the months had gone by)."""
    deputy_user = deputy_user or w.deputy
    officer = officer or w.lead_officer
    s = services.suggestion_create(actor=deputy_user, title=title, content=content, category=category)
    services.suggestion_submit(suggestion=s, actor=deputy_user)
    services.suggestion_assign(suggestion=s, actor=w.office, lead_unit=unit or w.lead_unit)
    services.suggestion_acknowledge(suggestion=s, actor=officer)
    if not reply:
        return s
    if late:
        Suggestion.objects.filter(pk=s.pk).update(reply_due=timezone.localdate() - timedelta(days=1))
    services.suggestion_reply(
        suggestion=s, actor=officer, reply_class=reply_class, content=reply_content, contacted=contacted
    )
    if first_rating:
        services.suggestion_evaluate(suggestion=s, actor=deputy_user, rating=first_rating)
        if second_rating:
            services.suggestion_reply(
                suggestion=s,
                actor=officer,
                reply_class=second_reply_class or reply_class,
                content=second_reply_content,
                contacted=second_contacted,
            )
            services.suggestion_evaluate(suggestion=s, actor=deputy_user, rating=second_rating)
    s.refresh_from_db()
    return s
