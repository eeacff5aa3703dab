"""The one table of what may happen to a suggestion: state × action → new state(s), and who may do it.

Every service in ``suggestions.services`` asks ``check()`` before changing anything.
"Who" is a relationship to the suggestion, not just a role: the lead deputy, an invited
co-signer, an officer of the active lead unit or of a co-unit, the office, a leader.

Refusals:
- the user has no relationship that may ever take this action → ``PermissionRefused`` (403);
- the action is not allowed in the current state for them → ``ActionRefused`` (409).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import backdating
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from deputies.selectors import deputies_visible_to
from suggestions.models import Action, AssignmentRole, State


class Actor(StrEnum):
    LEAD_DEPUTY = "lead_deputy"
    COSIGNER = "cosigner"
    LEAD_UNIT = "lead_unit"
    CO_UNIT = "co_unit"
    OFFICE = "office"
    LEADER = "leader"


@dataclass(frozen=True)
class Rule:
    action: str
    source: str
    targets: frozenset
    actors: frozenset


def _rules(action, sources, target, actors) -> list[Rule]:
    """Rows for ``action`` from each of ``sources``; ``target`` None means "stays in the same state"."""
    targets = target if isinstance(target, tuple) else (target,)
    return [
        Rule(
            action=action,
            source=source,
            targets=frozenset(source if t is None else t for t in targets),
            actors=frozenset(actors),
        )
        for source in sources
    ]


S = State
A = Action
_HANDLING = (S.ASSIGNED, S.IN_PROGRESS)
_ROWS = [
    # 提
    *_rules(A.UPDATE, (S.DRAFT, S.RETURNED), None, {Actor.LEAD_DEPUTY}),
    *_rules(A.COSIGN, (S.DRAFT, S.RETURNED), None, {Actor.COSIGNER}),
    *_rules(A.SUBMIT, (S.DRAFT,), S.SUBMITTED, {Actor.LEAD_DEPUTY}),
    *_rules(A.RETURN, (S.SUBMITTED,), S.RETURNED, {Actor.OFFICE}),
    *_rules(A.RESUBMIT, (S.RETURNED,), S.SUBMITTED, {Actor.LEAD_DEPUTY}),
    # 交
    *_rules(A.ASSIGN, (S.SUBMITTED,), S.ASSIGNED, {Actor.OFFICE}),
    *_rules(A.REQUEST_RETURN, _HANDLING, None, {Actor.LEAD_UNIT, Actor.CO_UNIT}),
    # Accepting a lead unit's request sends the item back for re-assignment; anything else keeps the state.
    *_rules(A.DECIDE_RETURN, _HANDLING, (None, S.SUBMITTED), {Actor.OFFICE}),
    # 办
    *_rules(A.ACKNOWLEDGE, (S.ASSIGNED,), S.IN_PROGRESS, {Actor.LEAD_UNIT}),
    *_rules(A.CO_UNIT_OPINION, (S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING), None, {Actor.CO_UNIT}),
    *_rules(A.RECORD_CONTACT, (S.IN_PROGRESS, S.REHANDLING), None, {Actor.LEAD_UNIT}),
    *_rules(A.REPLY, (S.IN_PROGRESS, S.REHANDLING), S.REPLIED, {Actor.LEAD_UNIT}),
    *_rules(A.EXTEND, _HANDLING, None, {Actor.LEAD_UNIT, Actor.OFFICE}),
    *_rules(A.DECIDE_EXTENSION, _HANDLING, None, {Actor.OFFICE}),
    *_rules(A.FOLLOW_UP, (S.CLOSED,), None, {Actor.LEAD_UNIT}),
    # 督
    *_rules(
        A.SUPERVISE,
        (S.SUBMITTED, S.ASSIGNED, S.IN_PROGRESS, S.REPLIED, S.REHANDLING, S.CLOSED),
        None,
        {Actor.LEADER, Actor.OFFICE},
    ),
    # 评: a first 不满意 sends it back; anything else, and any second rating, closes it.
    *_rules(A.EVALUATE, (S.REPLIED,), (S.REHANDLING, S.CLOSED), {Actor.LEAD_DEPUTY}),
    # Withdrawal in writing, before any reply.
    *_rules(
        A.WITHDRAW, (S.DRAFT, S.SUBMITTED, S.RETURNED, S.ASSIGNED, S.IN_PROGRESS), S.WITHDRAWN, {Actor.LEAD_DEPUTY}
    ),
]

TRANSITIONS: dict[tuple[str, str], Rule] = {}
for _row in _ROWS:
    assert (_row.source, _row.action) not in TRANSITIONS, _row
    TRANSITIONS[(_row.source, _row.action)] = _row

# Who may ever take each action, in any state.
ACTORS_BY_ACTION: dict[str, frozenset] = {}
for _row in _ROWS:
    ACTORS_BY_ACTION[_row.action] = ACTORS_BY_ACTION.get(_row.action, frozenset()) | _row.actors

# Actions taken through ``POST /suggestions/{id}/{action}/`` (create is not taken on an existing item).
ACTIONS = tuple(ACTORS_BY_ACTION)


def allowed_edges() -> set[tuple[str, str, str]]:
    """Every (from_state, action, to_state) the table allows, plus creating a draft."""
    edges = {(rule.source, rule.action, target) for rule in _ROWS for target in rule.targets}
    edges.add(("", Action.CREATE, State.DRAFT))
    return edges


def actors_of(user, suggestion) -> frozenset:
    """The relationships ``user`` has to ``suggestion``.

    Hidden queries: one for co-signers (deputies) and one for active assignments (unit
    officers), unless ``suggestion`` carries the prefetched ``cosignatures`` /
    ``assignments`` relations.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    role = user.effective_role
    kinds = set()
    if role == Role.DEPUTY and user.deputy_id:
        if suggestion.lead_deputy_id == user.deputy_id:
            kinds.add(Actor.LEAD_DEPUTY)
        elif any(c.deputy_id == user.deputy_id for c in _related(suggestion, "cosignatures")):
            kinds.add(Actor.COSIGNER)
    elif role == Role.UNIT_OFFICER and user.unit_id:
        for assignment in _related(suggestion, "assignments"):
            if assignment.active and assignment.unit_id == user.unit_id:
                kinds.add(Actor.LEAD_UNIT if assignment.role == AssignmentRole.LEAD else Actor.CO_UNIT)
    elif role == Role.OFFICE:
        kinds.add(Actor.OFFICE)
    elif role == Role.LEADER:
        kinds.add(Actor.LEADER)
    return frozenset(kinds)


def _related(suggestion, name):
    cache = getattr(suggestion, "_prefetched_objects_cache", {})
    if name in cache:
        return cache[name]
    return getattr(suggestion, name).all()


def check(*, suggestion, action: str, actors: frozenset) -> Rule:
    """The rule that allows ``actors`` to take ``action`` now, or a refusal (403 or 409)."""
    if not actors & ACTORS_BY_ACTION.get(action, frozenset()):
        raise PermissionRefused(
            _("You may not take the action “%(action)s” on this suggestion.") % {"action": Action(action).label},
            code="not_allowed_for_user",
        )
    rule = TRANSITIONS.get((suggestion.state, action))
    if rule is None or not actors & rule.actors:
        raise ActionRefused(
            _("A suggestion that is “%(state)s” cannot be given the action “%(action)s”.")
            % {"state": State(suggestion.state).label, "action": Action(action).label},
            code="not_allowed_in_state",
        )
    return rule


# The steps the office (or station staff, for their stations' deputies) may record afterwards with the
# date they happened (补录), standing in for whoever took them: every step on an existing suggestion but
# editing a draft (which has no date of its own).
BACK_RECORDABLE = frozenset(
    {
        Action.COSIGN,
        Action.SUBMIT,
        Action.RETURN,
        Action.RESUBMIT,
        Action.WITHDRAW,
        Action.ASSIGN,
        Action.REQUEST_RETURN,
        Action.DECIDE_RETURN,
        Action.ACKNOWLEDGE,
        Action.CO_UNIT_OPINION,
        Action.RECORD_CONTACT,
        Action.REPLY,
        Action.EXTEND,
        Action.DECIDE_EXTENSION,
        Action.EVALUATE,
        Action.SUPERVISE,
        Action.FOLLOW_UP,
    }
)


def may_back_record(user, suggestion) -> bool:
    """Whether ``user`` may record this suggestion's past steps with their dates: the office and
    administrators for every suggestion, station staff for those of deputies in their stations' scope.

    One query for station staff (the deputy's scope), none otherwise.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(Role.OFFICE, Role.ADMIN):
        return True
    if user.has_role(Role.STATION_STAFF):
        return deputies_visible_to(user).filter(pk=suggestion.lead_deputy_id).exists()
    return False


def back_record_refusal() -> ValidationError:
    """The 400 for a date given by someone who may not back-record: refused, never silently dropped."""
    return backdating.refusal()


def check_back_record(*, suggestion, action: str) -> Rule:
    """The rule that allows recording ``action`` afterwards in the current state, or a refusal (409).

    Who may back-record is ``may_back_record``; here only the step and the state are checked."""
    rule = TRANSITIONS.get((suggestion.state, action))
    if action not in BACK_RECORDABLE or rule is None:
        raise ActionRefused(
            _("A suggestion that is “%(state)s” cannot be given the action “%(action)s”.")
            % {"state": State(suggestion.state).label, "action": Action(action).label},
            code="not_allowed_in_state",
        )
    return rule


def back_recordable_actions(*, suggestion) -> list[str]:
    """The steps that may be recorded afterwards in the current state, in table order (for the pages)."""
    return [
        rule.action
        for (source, _action), rule in TRANSITIONS.items()
        if source == suggestion.state and rule.action in BACK_RECORDABLE
    ]


def available_actions(*, suggestion, actors: frozenset) -> list[str]:
    """Actions ``actors`` may take in the current state, in table order (for pages and the API)."""
    return [
        rule.action
        for (source, _action), rule in TRANSITIONS.items()
        if source == suggestion.state and actors & rule.actors
    ]
