"""Two office users appointing a grid leader at the same moment: one wins, the other gets a clear refusal."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from deputies.services import deputy_create
from duties.models import GridAssignment, GridRole
from duties.services.assignments import grid_assignment_create
from tests.builders.streets import START, build_street


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_leader_appointments_leave_one_leader_and_no_500():
    street = build_street()
    grid = street.a.grid
    GridAssignment.objects.filter(grid=grid).delete()  # the grid starts without a leader
    candidates = [deputy_create(name=f"候选人{n}") for n in range(2)]
    barrier = threading.Barrier(len(candidates))
    outcomes: list[str] = []

    def appoint(deputy):
        try:
            barrier.wait(timeout=10)
            grid_assignment_create(grid=grid, deputy=deputy, role=GridRole.LEADER, start_date=START)
            outcomes.append("appointed")
        except ValidationError as exc:
            outcomes.append("refused:" + ",".join(sorted(exc.message_dict)))
        except Exception as exc:  # anything else would be a 500 in the API
            outcomes.append(f"crashed:{type(exc).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=appoint, args=(deputy,)) for deputy in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["appointed", "refused:role"]
    assert GridAssignment.objects.filter(grid=grid, role=GridRole.LEADER, end_date__isnull=True).count() == 1
