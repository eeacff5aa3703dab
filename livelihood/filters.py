import django_filters

from core.filters import StrictFilterSet
from livelihood.models import Candidate, Project, ProjectRating, SupervisionVisit, YearCycle


class CycleFilter(StrictFilterSet):
    class Meta:
        model = YearCycle
        fields = ["year", "stage"]


class CandidateFilter(StrictFilterSet):
    class Meta:
        model = Candidate
        fields = ["cycle", "shortlisted", "result", "proposer_kind", "responsible_unit"]


class ProjectFilter(StrictFilterSet):
    year = django_filters.NumberFilter(field_name="cycle__year")
    unit = django_filters.NumberFilter(field_name="responsible_unit")

    class Meta:
        model = Project
        fields = ["cycle", "year", "unit", "verdict"]


class VisitFilter(StrictFilterSet):
    class Meta:
        model = SupervisionVisit
        fields = ["project", "deputy"]


class RatingFilter(StrictFilterSet):
    class Meta:
        model = ProjectRating
        fields = ["project", "deputy", "rating"]
