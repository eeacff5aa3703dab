import django_filters

from livelihood.models import Candidate, Project, ProjectRating, SupervisionVisit, YearCycle


class CycleFilter(django_filters.FilterSet):
    class Meta:
        model = YearCycle
        fields = ["year", "stage"]


class CandidateFilter(django_filters.FilterSet):
    class Meta:
        model = Candidate
        fields = ["cycle", "shortlisted", "result", "proposer_kind", "responsible_unit"]


class ProjectFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="cycle__year")
    unit = django_filters.NumberFilter(field_name="responsible_unit")

    class Meta:
        model = Project
        fields = ["cycle", "year", "unit", "verdict"]


class VisitFilter(django_filters.FilterSet):
    class Meta:
        model = SupervisionVisit
        fields = ["project", "deputy"]


class RatingFilter(django_filters.FilterSet):
    class Meta:
        model = ProjectRating
        fields = ["project", "deputy", "rating"]
