"""Random action sequences by random users never leave the transition table.

Hypothesis picks (user, action, input) steps and runs them through the services on a fresh
suggestion. After every step: a success moved along an edge of the table and was taken by a
user the table allows; a refusal changed nothing; the recorded timeline is a walk through the table.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import event as note_statistic
from hypothesis import strategies as st

from core.errors import ActionRefused, PermissionRefused
from suggestions import services
from suggestions.models import Extension, ReturnRequest, State, Suggestion, SuggestionEvent
from suggestions.transitions import TRANSITIONS, actors_of, allowed_edges

USERS = ["deputy", "cosigner", "other_deputy", "lead_officer", "co_officer", "other_officer", "office", "leader"]
ACTIONS = [rule_action for rule_action in {action for (_state, action) in TRANSITIONS}]


def run(w, suggestion, user, action, choice):
    """Call the service for ``action`` with input derived from ``choice`` (an int)."""
    s = suggestion
    if action == "update":
        return services.suggestion_update(suggestion=s, actor=user, title=f"标题{choice}")
    if action == "cosign":
        return services.suggestion_cosign(suggestion=s, actor=user, accept=choice % 3 != 0)
    if action == "submit":
        return services.suggestion_submit(suggestion=s, actor=user)
    if action == "return":
        return services.suggestion_return(suggestion=s, actor=user, reason="退回")
    if action == "resubmit":
        return services.suggestion_resubmit(suggestion=s, actor=user)
    if action == "assign":
        co_units = [w.co_unit] if choice % 2 else []
        return services.suggestion_assign(suggestion=s, actor=user, lead_unit=w.lead_unit, co_units=co_units)
    if action == "request_return":
        return services.suggestion_request_return(suggestion=s, actor=user, reason="非本单位职责")
    if action == "decide_return":
        request = ReturnRequest.objects.filter(suggestion=s, status="pending").first()
        if request is None:
            request = ReturnRequest.objects.filter(suggestion=s).first()
        if request is None:
            return None
        return services.suggestion_decide_return(return_request=request, actor=user, accept=choice % 2 == 0)
    if action == "acknowledge":
        return services.suggestion_acknowledge(suggestion=s, actor=user)
    if action == "co_unit_opinion":
        return services.suggestion_co_unit_opinion(suggestion=s, actor=user, content="协办意见")
    if action == "record_contact":
        return services.suggestion_record_contact(suggestion=s, actor=user, method="phone")
    if action == "reply":
        return services.suggestion_reply(
            suggestion=s, actor=user, reply_class="ABCD"[choice % 4], content="答复", contacted=choice % 2 == 0
        )
    if action == "evaluate":
        rating = ["satisfied", "basically_satisfied", "unsatisfied"][choice % 3]
        return services.suggestion_evaluate(suggestion=s, actor=user, rating=rating)
    if action == "extend":
        base = Suggestion.objects.get(pk=s.pk).reply_due or s.created_at.date()
        return services.suggestion_extend(
            suggestion=s, actor=user, new_due=base + timedelta(days=1 + choice % 40), reason="延期"
        )
    if action == "decide_extension":
        extension = Extension.objects.filter(suggestion=s).order_by("-id").first()
        if extension is None:
            return None
        return services.suggestion_decide_extension(extension=extension, actor=user, approve=choice % 2 == 0)
    if action == "follow_up":
        return services.suggestion_follow_up(suggestion=s, actor=user, content="进展", solved=choice % 3 == 0)
    if action == "supervise":
        flag = [None, True, False][choice % 3]
        return services.suggestion_supervise(suggestion=s, actor=user, note="督办", key_supervision=flag)
    if action == "withdraw":
        return services.suggestion_withdraw(suggestion=s, actor=user, reason="撤回")
    raise AssertionError(action)


def allowed_now(users, suggestion) -> list[tuple[str, str]]:
    """(user, action) pairs the table allows now — used to steer sequences deep into the lifecycle."""
    pairs = []
    for user_name in USERS:
        actors = actors_of(users[user_name], suggestion)
        for (source, action), rule in TRANSITIONS.items():
            # Withdrawal ends everything, so steering leaves it to the unsteered steps.
            if source == suggestion.state and actors & rule.actors and action != "withdraw":
                pairs.append((user_name, action))
    return pairs


@settings(
    max_examples=60,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_sequences_stay_inside_the_table(world, data):
    w = world
    users = w.users()
    edges = allowed_edges()
    suggestion = services.suggestion_create(
        actor=w.deputy, title="随机", content="内容", category="other", cosigners=[w.cosigner_deputy]
    )
    for _step in range(data.draw(st.integers(min_value=1, max_value=40), label="length")):
        before = Suggestion.objects.get(pk=suggestion.pk)
        # Some steps are anything by anyone; others are steps the table allows now, or allowed steps that
        # move the state on, so sequences get through to replies, evaluations and follow-ups.
        mode = data.draw(st.sampled_from(["random", "allowed", "progress", "progress"]), label="mode")
        candidates = allowed_now(users, before) if mode != "random" else []
        if mode == "progress":
            candidates = [
                (u, a) for u, a in candidates if TRANSITIONS[(before.state, a)].targets != {before.state}
            ] or candidates
        if candidates:
            user_name, action = data.draw(st.sampled_from(candidates), label="allowed step")
        else:
            user_name = data.draw(st.sampled_from(USERS), label="user")
            action = data.draw(st.sampled_from(sorted(ACTIONS)), label="action")
        choice = data.draw(st.integers(min_value=0, max_value=1000), label="input")
        events_before = SuggestionEvent.objects.filter(suggestion=suggestion).count()
        actors = actors_of(users[user_name], before)
        try:
            run(w, suggestion, users[user_name], action, choice)
        except (ActionRefused, PermissionRefused, ValidationError):
            after = Suggestion.objects.get(pk=suggestion.pk)
            assert after.state == before.state
            assert after.updated_at == before.updated_at
            assert SuggestionEvent.objects.filter(suggestion=suggestion).count() == events_before
            continue
        after = Suggestion.objects.get(pk=suggestion.pk)
        new_events = list(SuggestionEvent.objects.filter(suggestion=suggestion).order_by("id")[events_before:])
        if not new_events:  # nothing to decide on (no request existed): the step did nothing
            assert after.state == before.state
            continue
        assert len(new_events) == 1
        rule = TRANSITIONS[(before.state, action)]
        assert actors & rule.actors, (user_name, action, before.state)
        assert after.state in rule.targets
        assert after.state in State.values
        assert (new_events[0].from_state, new_events[0].action, new_events[0].to_state) == (
            before.state,
            action,
            after.state,
        )
    # The whole timeline is a walk along the table's edges.
    previous = ""
    for event in SuggestionEvent.objects.filter(suggestion=suggestion).order_by("id"):
        assert (event.from_state, event.action, event.to_state) in edges
        assert event.from_state == previous
        previous = event.to_state
    assert previous == Suggestion.objects.get(pk=suggestion.pk).state
    note_statistic(f"ended {previous}")
