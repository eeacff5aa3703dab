"""Deputies, terms and groups: the model's constraints and the services that keep them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.errors import ActionRefused
from core.roles import Role
from deputies.models import Deputy, DeputyKind, GroupKind, Level, Term
from deputies.services import deputy_create, deputy_delete, deputy_group_create, deputy_update
from duties.services.assignments import grid_assignment_create
from tests.builders.deputies import county_term, township_term
from tests.builders.streets import START, build_street

pytestmark = pytest.mark.django_db


def test_one_person_holds_several_levels():
    deputy = deputy_create(name="陈建国", terms=[county_term(), township_term()])

    assert Deputy.objects.count() == 1
    assert sorted(deputy.terms.values_list("level", flat=True)) == [Level.COUNTY, Level.TOWNSHIP]
    assert deputy.level_labels == [Level.COUNTY.label, Level.TOWNSHIP.label]


def test_a_later_term_at_the_same_level_is_a_new_term():
    deputy = deputy_create(name="陈建国", terms=[county_term(2016), county_term(2021)])

    assert deputy.terms.count() == 2


def test_duplicate_term_is_refused_by_the_service_and_nothing_is_written():
    with pytest.raises(ValidationError) as caught:
        deputy_create(name="陈建国", terms=[county_term(), county_term()])

    assert "terms" in caught.value.message_dict
    assert Deputy.objects.count() == 0
    assert Term.objects.count() == 0


def test_duplicate_term_is_refused_by_the_database():
    deputy = deputy_create(name="陈建国", terms=[county_term()])

    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(deputy=deputy, **county_term())
    assert deputy.terms.count() == 1


def test_a_term_cannot_end_before_it_starts():
    with pytest.raises(ValidationError) as caught:
        deputy_create(name="陈建国", terms=[{**county_term(2021), "end_year": 2020}])
    assert "terms" in caught.value.message_dict
    assert Deputy.objects.count() == 0

    deputy = deputy_create(name="陈建国")
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(deputy=deputy, **{**county_term(2021), "end_year": 2020})


def test_a_deliberation_representative_holds_no_congress_term():
    with pytest.raises(ValidationError) as caught:
        deputy_create(name="议政代表甲", kind=DeputyKind.DELIBERATION, terms=[township_term()])
    assert "terms" in caught.value.message_dict

    rep = deputy_create(name="议政代表甲", kind=DeputyKind.DELIBERATION)
    assert rep.terms.count() == 0

    congress = deputy_create(name="陈建国", terms=[county_term()])
    with pytest.raises(ValidationError) as caught:
        deputy_update(deputy=congress, kind=DeputyKind.DELIBERATION)
    assert "kind" in caught.value.message_dict
    congress.refresh_from_db()
    assert congress.kind == DeputyKind.CONGRESS


def test_update_replaces_the_terms_and_keeps_the_rows_that_stay():
    deputy = deputy_create(name="陈建国", terms=[county_term(), township_term()])
    county_id = deputy.terms.get(level=Level.COUNTY).id

    deputy_update(deputy=deputy, terms=[{**county_term(), "constituency": "第5选区"}], occupation="教师")

    deputy.refresh_from_db()
    assert deputy.occupation == "教师"
    assert list(deputy.terms.values_list("id", "level", "constituency")) == [(county_id, Level.COUNTY, "第5选区")]


def test_update_with_a_bad_term_changes_nothing():
    deputy = deputy_create(name="陈建国", terms=[county_term()])

    with pytest.raises(ValidationError):
        deputy_update(deputy=deputy, name="新名字", terms=[township_term(), {**county_term(), "end_year": 1999}])

    deputy.refresh_from_db()
    assert deputy.name == "陈建国"
    assert list(deputy.terms.values_list("level", flat=True)) == [Level.COUNTY]


def test_groups_are_set_by_the_service():
    leader = deputy_create(name="组长")
    member = deputy_create(name="组员")
    group = deputy_group_create(name="教育代表小组", kind=GroupKind.PROFESSION, leader=leader, members=[member])

    assert set(group.members.all()) == {leader, member}
    deputy_update(deputy=member, groups=[])
    assert set(group.members.all()) == {leader}


def test_deleting_a_deputy_in_use_is_refused(make_user):
    street = build_street()
    with pytest.raises(ActionRefused):
        deputy_delete(deputy=street.a.deputy)  # assigned to a grid
    assert Deputy.objects.filter(pk=street.a.deputy.pk).exists()

    with_account = deputy_create(name="有账号的代表")
    make_user(Role.DEPUTY, deputy=with_account)
    with pytest.raises(ActionRefused):
        deputy_delete(deputy=with_account)

    mistake = deputy_create(name="录错的代表", terms=[county_term()])
    deputy_delete(deputy=mistake)
    assert not Deputy.objects.filter(pk=mistake.pk).exists()
    assert not Term.objects.filter(deputy_id=mistake.pk).exists()


def test_an_inactive_deputy_cannot_be_assigned_to_a_grid():
    street = build_street()
    retired = deputy_create(name="离任代表", is_active=False)

    with pytest.raises(ValidationError) as caught:
        grid_assignment_create(grid=street.a.grid, deputy=retired, start_date=START)
    assert "deputy" in caught.value.message_dict
