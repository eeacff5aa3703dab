"""民生实事项目票决制 for the demo street, built through the livelihood services.

- last year: a full cycle, published — 13 candidates → 10 projects with 26 sub-items, milestones,
  progress, supervision visits and every deputy's evaluation (one project only 基本满意);
- this year: voted and being implemented — 11 candidates → 8 projects, two milestones overdue;
- next year: collecting proposals, one of them from a constituent through the public form.

Each cycle is created only when its year has none yet, so running the builder again changes nothing.
The vote and the evaluation are entered by the office from paper ballots and forms, as at a meeting.
"""

from django.utils import timezone

from accounts.models import User
from demo.builders.base import DemoContext
from demo.builders.livelihood.cycles import full_year, next_year, this_year
from deputies.models import Deputy
from livelihood.models import YearCycle
from organisation.models import HandlingUnit

OFFICE_USERNAME = "demo_office"


def build(ctx: DemoContext) -> None:
    office = User.objects.get(username=OFFICE_USERNAME)
    units = {unit.name: unit for unit in HandlingUnit.objects.all()}
    deputies = list(Deputy.objects.filter(is_active=True).order_by("id"))
    today = timezone.localdate()
    made = []
    if not YearCycle.objects.filter(year=today.year - 1).exists():
        full_year(ctx, office, units, deputies, today.year - 1)
        made.append(str(today.year - 1))
    if not YearCycle.objects.filter(year=today.year).exists():
        this_year(ctx, office, units, deputies, today)
        made.append(str(today.year))
    if not YearCycle.objects.filter(year=today.year + 1).exists():
        next_year(ctx, office, units, deputies, today.year + 1)
        made.append(str(today.year + 1))
    ctx.log(f"livelihood projects: 3 yearly cycles ({', '.join(made) or 'none'} new)")
