"""The building blocks of every role-scoped selector.

Every ``*_visible_to(user)`` selector follows one skeleton, written once here as ``scoped``:

- anonymous or inactive users see nothing;
- office, leaders and admins (``user.sees_everything``) see every row;
- station staff, a deputy (linked to a deputy record) and a unit officer (linked to a unit)
  each see the rows matched by a Q their selector builds for them (or every row, ``ALL``);
- anyone else, and a role the selector gives no rule for, sees nothing.

Station staff see the stations they are attached to and everything below them in the
1+4+N tree (at most two levels down): ``staff_station_q``. The same walk up the tree also
answers "this station and everything below it" (``organisation.models.subtree_q``):
both are ``station_or_ancestor_q`` with a different condition.
"""

from collections.abc import Callable, Collection

from django.db.models import Q, QuerySet

from core.roles import Role

# The lookup paths from a station to itself, its parent and its grandparent: the tree
# (hub, area station, community point) is at most three levels deep.
_SELF_AND_ANCESTORS = ("", "parent__", "parent__parent__")


def station_or_ancestor_q(prefix: str, lookup: str, value) -> Q:
    """Q matching rows whose station (reached by ``prefix``), its parent or its grandparent has ``lookup`` = ``value``.

    ``prefix`` is the lookup path to a station, ending in ``__`` (empty for ``Station`` itself).
    """
    q = Q()
    for path in _SELF_AND_ANCESTORS:
        q |= Q(**{f"{prefix}{path}{lookup}": value})
    return q


def staff_station_q(user, prefix: str = "") -> Q:
    """Q matching rows whose station (reached by ``prefix``) is in ``user``'s subtree.

    ``prefix`` is the lookup path to a station, ending in ``__`` (empty for Station
    itself), e.g. ``"resident_stations__"``. Joins are multi-valued: wrap the
    result in an ``id__in`` subquery to avoid duplicate rows.
    """
    return station_or_ancestor_q(prefix, "staff", user)


class _All:
    def __repr__(self) -> str:
        return "ALL"


# Pass as a role's rule when that role sees every row.
ALL = _All()

# A role's rule: a callable taking the user and building the Q of the rows they may see,
# ``ALL``, or ``None`` (no row).
Rule = Callable[..., Q] | _All | None


def _is_active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _rule_for(user, *, staff, deputy, unit_officer):
    """The rule given for ``user``'s role (``None`` when there is none), with the role itself."""
    role = user.effective_role
    if role == Role.STATION_STAFF:
        return role, staff
    if role == Role.DEPUTY and user.deputy_id:
        return role, deputy
    if role == Role.UNIT_OFFICER and user.unit_id:
        return role, unit_officer
    return role, None


def scoped(
    user,
    queryset: QuerySet,
    *,
    staff: Rule = None,
    deputy: Rule = None,
    unit_officer: Rule = None,
    everything: Callable[..., Q] | None = None,
    distinct: bool | Collection[str] = True,
) -> QuerySet:
    """``queryset`` narrowed to the rows ``user`` may see.

    ``staff``, ``deputy`` and ``unit_officer`` are the rules of those roles: a callable taking
    the user and returning a Q, ``ALL`` (every row) or ``None`` (no row). ``everything`` is an
    optional rule for those who see everything (by default, every row).

    With ``distinct`` (the default) a role's Q is applied through an ``id__in`` subquery, so
    that multi-valued joins cannot repeat a row; pass ``False`` for conditions on the rows'
    own columns, or the roles whose Q is applied directly as a collection of the others.
    Builds the queryset only: no query runs here.
    """
    if not _is_active(user):
        return queryset.none()
    if user.sees_everything:
        return queryset if everything is None else queryset.filter(everything(user))
    role, rule = _rule_for(user, staff=staff, deputy=deputy, unit_officer=unit_officer)
    if rule is None:
        return queryset.none()
    if rule is ALL:
        return queryset
    condition = rule(user)
    if distinct is True or (distinct is not False and role in distinct):
        return queryset.filter(id__in=queryset.model._default_manager.filter(condition).values("id"))
    return queryset.filter(condition)


def scope_q(
    user,
    *,
    staff: Rule = None,
    deputy: Rule = None,
    unit_officer: Rule = None,
) -> Q | None:
    """The rows ``user`` may see as a Q, by the same rules as ``scoped``: ``None`` means every row,
    ``Q(pk__in=[])`` no row. For callers that combine the condition themselves."""
    if not _is_active(user):
        return Q(pk__in=[])
    if user.sees_everything:
        return None
    _role, rule = _rule_for(user, staff=staff, deputy=deputy, unit_officer=unit_officer)
    if rule is None:
        return Q(pk__in=[])
    if rule is ALL:
        return None
    return rule(user)
