"""Search shows each user exactly what their lists show them: the same selectors, narrowed by the query."""

import pytest

from liaison.selectors import opinions_visible_to
from livelihood.selectors import projects_visible_to
from search.selectors import KINDS, find, matching
from suggestions.selectors import replies_visible_to, suggestions_visible_to

pytestmark = pytest.mark.django_db

LISTS = {
    "opinions": opinions_visible_to,
    "suggestions": suggestions_visible_to,
    "replies": replies_visible_to,
    "projects": projects_visible_to,
}


def found(user, kind, q="电梯") -> set:
    return set(matching(user, kind, q).values_list("pk", flat=True))


def test_every_kind_is_its_list_narrowed_by_the_query(searchable):
    for name, user in searchable.world.users().items():
        for kind in KINDS:
            visible = LISTS[kind](user)
            expected = {row.pk for row in visible if "电梯" in " ".join(KINDS[kind].texts(row))}
            assert found(user, kind) == expected, (name, kind)


def test_station_staff_find_only_their_stations(searchable):
    s, w = searchable, searchable.world
    assert found(w.staff_a, "opinions") == {s.lift_a.pk}
    assert found(w.staff_b, "opinions") == {s.lift_b.pk}
    assert found(w.office, "opinions") == {s.lift_a.pk, s.lift_b.pk}
    # Suggestions: those of the deputies in the staff member's stations, never a draft.
    assert found(w.staff_a, "suggestions") == {s.suggestion_a.pk}
    assert found(w.staff_b, "suggestions") == {s.suggestion_b.pk}
    assert found(w.staff_a, "replies") == {s.reply_a.pk}
    assert found(w.staff_b, "replies") == set()


def test_deputies_find_only_theirs(searchable):
    s, w = searchable, searchable.world
    assert found(w.deputy, "suggestions") == {s.suggestion_a.pk, s.draft_a.pk}
    assert found(w.other_deputy, "suggestions") == {s.suggestion_b.pk}
    assert found(w.other_deputy, "replies") == set()
    assert found(w.deputy, "replies") == {s.reply_a.pk}
    # The office never sees a suggestion that was not submitted.
    assert s.draft_a.pk not in found(w.office, "suggestions")


def test_unit_officers_find_their_unit_only(searchable):
    s, w = searchable, searchable.world
    assert found(w.lead_officer, "opinions") == set()
    assert found(w.lead_officer, "projects") == {s.project.pk}
    assert found(w.other_officer, "projects") == set()
    assert found(w.other_officer, "suggestions") == set()


def test_anonymous_and_inactive_users_find_nothing(searchable):
    from django.contrib.auth.models import AnonymousUser

    w = searchable.world
    w.staff_a.is_active = False
    for user in (AnonymousUser(), w.staff_a):
        results = find(user, "电梯")
        assert [c.count for c in results.counts] == [0, 0, 0, 0] and results.hits == []


def test_find_counts_every_kind_and_pages_the_first_with_a_match(searchable):
    s, w = searchable, searchable.world
    results = find(w.office, "电梯")
    assert {c.key: c.count for c in results.counts} == {"opinions": 2, "suggestions": 2, "replies": 1, "projects": 1}
    assert results.kind == "opinions"
    # Newest first, each with a highlighted snippet and a link to the record.
    assert [hit.id for hit in results.hits] == [s.lift_b.pk, s.lift_a.pk]
    assert "<mark>电梯</mark>" in results.hits[0].snippet
    assert results.hits[0].url == f"/stations/reception/opinions/{s.lift_b.pk}/"
    replies = find(w.office, "电梯", "replies")
    assert [hit.url for hit in replies.hits] == [f"/suggestions/{s.suggestion_a.pk}/#replies"]
    assert find(w.office, "路灯").kind == "opinions" and find(w.office, "预算").kind == "replies"
    nothing = find(w.office, "停运停运停运")
    assert nothing.hits == [] and nothing.kind == "opinions"
