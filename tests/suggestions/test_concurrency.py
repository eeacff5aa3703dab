"""Two people act on one suggestion at the same moment: exactly one of them wins.

Real PostgreSQL and real threads, each with its own connection: the services lock the row
(``select_for_update``) and re-check the state under the lock, so the second request sees the
first one's result and is refused.
"""

import threading

import pytest
from django.db import close_old_connections, connection

from core.errors import ActionRefused
from suggestions import services
from suggestions.models import Assignment, Evaluation, Reply, State, Suggestion, SuggestionEvent
from tests.builders.streets import build_world
from tests.builders.suggestions import drive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return results


def outcome(results):
    refused = [r for r in results if isinstance(r, ActionRefused)]
    other_errors = [r for r in results if isinstance(r, Exception) and not isinstance(r, ActionRefused)]
    assert not other_errors, other_errors
    return len(results) - len(refused), len(refused)


@pytest.fixture
def w(make_user):
    return build_world(make_user)


def test_two_offices_assign_at_once(w, make_user):
    second_office = make_user("office", username="office-two")
    for round_ in range(3):
        suggestion = drive(w, State.SUBMITTED, title=f"并发交办{round_}")
        results = race(
            lambda s=suggestion: services.suggestion_assign(suggestion=s, actor=w.office, lead_unit=w.lead_unit),
            lambda s=suggestion: services.suggestion_assign(suggestion=s, actor=second_office, lead_unit=w.other_unit),
        )
        assert outcome(results) == (1, 1)
        assert Assignment.objects.filter(suggestion=suggestion, active=True, role="lead").count() == 1
        assert SuggestionEvent.objects.filter(suggestion=suggestion, action="assign").count() == 1
        suggestion.refresh_from_db()
        assert suggestion.state == State.ASSIGNED
        assert suggestion.lead_unit_id == Assignment.objects.get(suggestion=suggestion, active=True).unit_id


def test_reply_twice_at_once(w):
    for round_ in range(3):
        suggestion = drive(w, State.IN_PROGRESS, title=f"并发答复{round_}")
        results = race(
            *[
                lambda cls=cls, s=suggestion: services.suggestion_reply(
                    suggestion=s, actor=w.lead_officer, reply_class=cls, content=f"{cls}类答复"
                )
                for cls in ("A", "B")
            ]
        )
        assert outcome(results) == (1, 1)
        assert Reply.objects.filter(suggestion=suggestion).count() == 1
        suggestion.refresh_from_db()
        assert suggestion.state == State.REPLIED and suggestion.reply_round == 1
        assert suggestion.reply_class == Reply.objects.get(suggestion=suggestion).reply_class


def test_two_conflicting_evaluations_at_once(w):
    for round_ in range(3):
        suggestion = drive(w, State.REPLIED, title=f"并发评价{round_}")
        results = race(
            lambda s=suggestion: services.suggestion_evaluate(suggestion=s, actor=w.deputy, rating="unsatisfied"),
            lambda s=suggestion: services.suggestion_evaluate(suggestion=s, actor=w.deputy, rating="satisfied"),
        )
        assert outcome(results) == (1, 1)
        assert Evaluation.objects.filter(suggestion=suggestion).count() == 1
        suggestion.refresh_from_db()
        rating = Evaluation.objects.get(suggestion=suggestion).rating
        assert suggestion.state == (State.REHANDLING if rating == "unsatisfied" else State.CLOSED)
        assert SuggestionEvent.objects.filter(suggestion=suggestion, action="evaluate").count() == 1


def test_withdraw_against_acknowledge(w):
    suggestion = drive(w, State.ASSIGNED, title="撤回与签收")
    results = race(
        lambda: services.suggestion_withdraw(suggestion=suggestion, actor=w.deputy, reason="撤回"),
        lambda: services.suggestion_acknowledge(suggestion=suggestion, actor=w.lead_officer),
    )
    wins, refusals = outcome(results)
    suggestion.refresh_from_db()
    events = list(SuggestionEvent.objects.filter(suggestion=suggestion).order_by("id").values_list("action", flat=True))
    # Either order is legal (withdrawal is allowed while in progress), but each step saw the other's result.
    if wins == 2:
        assert events[-2:] in (["withdraw", "acknowledge"], ["acknowledge", "withdraw"])
        assert events[-1] == "withdraw" and suggestion.state == State.WITHDRAWN
    else:
        assert refusals == 1 and suggestion.state == State.WITHDRAWN
        assert events[-1] == "withdraw" and "acknowledge" not in events
    assert Suggestion.objects.filter(pk=suggestion.pk, state=State.WITHDRAWN).exists()
