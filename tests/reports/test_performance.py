"""The performance file (履职档案): figures, points by weights, ranking, "四个一" compliance."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import PermissionRefused
from deputies.models import Deputy, DeputyKind
from deputies.services import deputy_create
from reports import services
from reports.metrics import point_weights, ranking
from reports.models import DEFAULT_WEIGHTS, PointItem, PointWeight, PointWeightChange
from reports.performance import performance_file
from tests.reports import seed


def test_the_file_counts_what_the_deputy_did(street):
    today = timezone.localdate()
    file = performance_file(street.main, street.year)
    f = file.figures
    assert f["reception_day"] == len(set(seed.year_dates(seed.STATION_VISITS)))
    assert f["visit"] == seed.STATION_VISITS
    assert f["person_times"] == seed.STATION_PERSON_TIMES
    assert f["opinion"] == seed.STATION_OPINIONS
    assert f["suggestion_led"] == seed.MAIN_LED
    assert f["suggestions_closed"] == seed.MAIN_CLOSED
    assert f["suggestions_satisfied"] == seed.MAIN_SATISFIED
    assert f["suggestions_unsatisfied"] == 1
    assert f["suggestion_cosigned"] == 1
    # Four suggestions' latest reply is class A; the re-handled one ended with a class B reply.
    assert f["suggestion_resolved"] == 4
    assert f["activity"] == 2  # excused from the third
    months = today.month
    meetings = (months + 1) // 2
    assert f["grid_duty"] == months + meetings + 1
    assert f["report_to_constituents"] == 0
    assert f["voter_contact"] == seed.MAIN_CONTACTS  # last year's contact is not counted
    assert (file.voter_contact_people, file.constituent_links) == (seed.MAIN_CONTACT_PEOPLE, seed.MAIN_LINKS)
    assert [c.date for c in file.voter_contacts] == sorted(c.date for c in file.voter_contacts)
    assert [s.title for s in file.suggestions_cosigned] == ["关于完善社区垃圾分类设施的建议"]
    assert sum(file.monthly_visits) == seed.STATION_VISITS
    assert sum(file.monthly_opinions) == seed.STATION_OPINIONS

    compliance = {c.kind: (c.due, c.done) for c in file.compliance}
    quarters = (months - 1) // 3 + 1
    assert compliance == {
        "patrol": (months, months),
        "grid_meeting": (months, meetings),
        "research": (quarters, 1),
        "report": (1, 0),
    }

    weights = {item: Decimal(str(value)) for item, value in DEFAULT_WEIGHTS.items()}
    expected = sum(weights[item] * f[item] for item in PointItem.values if item in f.counts)
    assert f.points == expected
    assert file.rank == 1 and file.ranked == len([d for d in street.deputies if d.kind == DeputyKind.CONGRESS])


def test_a_colleague_with_less_work_ranks_lower_and_ties_share_a_rank(street):
    rows = ranking(Deputy.objects.filter(kind=DeputyKind.CONGRESS), street.year)
    assert rows[0].deputy == street.main
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    # The deputies who did nothing all have 0 points and share the last rank.
    idle = [r for r in rows if r.points == 0]
    assert len(idle) >= 2 and len({r.rank for r in idle}) == 1
    assert idle[0].rank == len(rows) - len(idle) + 1


def test_the_office_changes_weights_and_every_change_is_recorded(org):
    services.point_weights_update(actor=org.office, weights={"suggestion_led": "8", "visit": 1})
    assert point_weights()["suggestion_led"] == Decimal("8.00")
    change = PointWeightChange.objects.get()
    assert (change.item, change.old_weight, change.new_weight, change.changed_by) == (
        "suggestion_led",
        Decimal("5.00"),
        Decimal("8.00"),
        org.office,
    )  # the unchanged visit weight leaves no row


@pytest.mark.parametrize("bad", [{"visit": "-1"}, {"visit": "abc"}, {"visit": "1001"}, {"nonsense": "2"}])
def test_bad_weights_are_refused_and_nothing_changes(org, bad):
    with pytest.raises(ValidationError):
        services.point_weights_update(actor=org.office, weights={"opinion": "4", **bad})
    assert not PointWeight.objects.exists() and not PointWeightChange.objects.exists()


@pytest.mark.parametrize("who", ["leader", "main_user", "staff"])
def test_only_the_office_changes_weights(org, who):
    with pytest.raises(PermissionRefused):
        services.point_weights_update(actor=getattr(org, who), weights={"visit": "3"})
    assert not PointWeight.objects.exists()


def test_ranking_is_one_query_per_figure_set_whatever_the_number_of_deputies(org, django_assert_num_queries):
    # The weights, the deputies, then one grouped pass per set of figures (reception days, visits,
    # opinions twice, grid duties, activities, voter contacts, suggestions led, co-signed, supervision).
    with django_assert_num_queries(12):
        ranking(Deputy.objects.all(), org.year)
    for i in range(12):
        deputy_create(name=f"测试代表{i:02d}")
    with django_assert_num_queries(12):
        rows = ranking(Deputy.objects.all(), org.year)
    assert len(rows) == Deputy.objects.count()
